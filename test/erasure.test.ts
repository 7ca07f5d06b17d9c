/**
 * Erasure of a dataset with k of n approvals, on real nodes and a real chain: refused
 * below the threshold and for outsiders, then executed: every chunk and manifest copy
 * deleted from the nodes (each deletion recorded on chain by its node), the dataset's key
 * gone with its manifests, a kept chunk copy unreadable, readers told it was erased, the
 * other dataset untouched, and a second run a no-op.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Approval,
  approveAction,
  DatasetErasedError,
  eraseDataset,
  liveDataset,
  NotApproverError,
  projectOverview,
  type UploadedDataset,
  uploadNumericDataset,
  verifyProjectTrail,
} from '../client/sdk/index.ts'
import { openEnvelope, type ProjectKey } from '../protocol/crypto/index.ts'
import {
  ACCESS_ACTIONS,
  ACTION_KINDS,
  datasetIdOf,
  projectIdOf,
  projectTimeline,
} from '../protocol/ledger/index.ts'
import {
  chunkContext,
  fetchShard,
  type PeerClient,
  readNumericDataset,
  type StorageNode,
} from '../protocol/wire/index.ts'
import { type Account, refusedWith } from './ledger-fixture.ts'
import { type ProjectNetwork, startProjectNetwork, type TestNode } from './node-network.ts'

describe('dataset erasure with k of n approvals on real nodes', () => {
  let net: ProjectNetwork
  let accounts: Record<string, Account>
  let nodes: TestNode[]
  let alice: PeerClient
  let storage: StorageNode[]
  let projectKey: ProjectKey
  const datasets: Record<string, UploadedDataset> = {}
  const project = 'gdpr'
  const projectId = projectIdOf(project)
  const overview = { name: project, projectId }
  const keyFor = async () => projectKey

  beforeAll(async () => {
    net = await startProjectNetwork({ project })
    ;({ accounts, nodes, alice, storage, projectKey } = net)
    const owner = accounts.alice!.ledger
    for (const name of ['customer-42', 'kept'])
      datasets[name] = await uploadNumericDataset({
        client: alice,
        ledger: owner,
        projectKey,
        project,
        dataset: name,
        values: Array.from({ length: 20 }, (_, i) => BigInt(i)),
        chunkSize: 8,
        storage,
      })
    // bob, carol and dave approve; two of them must
    await owner.setApprovers(
      projectId,
      ['bob', 'carol', 'dave'].map(n => accounts[n]!.address),
      2,
    )
  }, 120_000)

  afterAll(() => net?.stop())

  const source = (dataset: UploadedDataset) => ({
    keyFor,
    project,
    dataset: dataset.dataset,
    manifest: dataset.manifest,
    committedRoot: dataset.root,
    readShard: async (id: string, holders: StorageNode[]) =>
      (await fetchShard(alice, projectId, id, holders)).shard,
  })
  const propose = (dataset: string) =>
    accounts.alice!.ledger.proposeAction(projectId, ACTION_KINDS.eraseDataset, datasetIdOf(dataset))
  const approvalsOf = (actionId: string, who: string[]): Promise<Approval[]> =>
    Promise.all(who.map(n => approveAction(accounts[n]!.ledger, accounts[n]!.signer, actionId)))
  const erase = async (actionId: string, approvals: Approval[], dataset = 'customer-42') =>
    eraseDataset({
      client: alice,
      ledger: accounts.alice!.ledger,
      project: await projectOverview(accounts.alice!.ledger, projectId),
      dataset,
      actionId,
      approvals,
      keyFor,
      storage,
    })
  const held = (shardId: string) => Promise.all(nodes.map(n => n.node.store.has(shardId)))

  let actionId: string
  let approvals: Approval[]

  it('refuses an outsider approving, too few approvals, and an action for another dataset', async () => {
    actionId = await propose('customer-42')
    await expect(
      approveAction(accounts.alice!.ledger, accounts.alice!.signer, actionId),
    ).rejects.toThrow(NotApproverError)
    const one = await approvalsOf(actionId, ['bob'])
    await refusedWith(erase(actionId, one), 'ActionsBelowThreshold')
    // nothing was deleted: the data still reads
    const read = await readNumericDataset(source(datasets['customer-42']!))
    expect(read.chunks).toHaveLength(3)
    await expect(erase(actionId, one, 'kept')).rejects.toThrow(/is not the erasure of kept/)
    // approvals of one action don't carry over to another
    const other = await propose('kept')
    await refusedWith(
      erase(other, [...one, ...(await approvalsOf(actionId, ['carol']))], 'kept'),
      'ActionsNotApprover',
    )
    approvals = [...one, ...(await approvalsOf(actionId, ['carol']))]
  }, 60_000)

  it("refuses an admin deleting a dataset's current manifest over the shard protocol before an executed erasure", async () => {
    const { shardId, holders } = datasets['customer-42']!.manifest
    for (const holder of holders)
      await expect(alice.deleteShard(holder.peerId, projectId, shardId)).rejects.toMatchObject({
        name: 'PeerRefusedError',
        code: 'unauthorized',
        message: expect.stringContaining('deleted only by an executed erasure'),
      })
    expect(await held(shardId)).toEqual([true, true])
    // its chunks stay deletable by an admin (a re-seal deletes old ones); the data still opens
    expect((await readNumericDataset(source(datasets['customer-42']!))).chunks).toHaveLength(3)
  })

  it('with two approvals, deletes every chunk and manifest copy; the key goes with the manifests', async () => {
    const dataset = datasets['customer-42']!
    const manifest = await readNumericDataset(source(dataset))
    const chunkIds = manifest.manifest.chunks.map(c => c.shardId)
    const keptCopy = (await fetchShard(alice, projectId, chunkIds[0]!, storage)).shard

    const report = await erase(actionId, approvals)
    expect(report).toMatchObject({ executed: true, chunksDeleted: 6, manifestsDeleted: 2 })
    for (const shardId of [...chunkIds, dataset.manifest.shardId])
      expect(await held(shardId)).toEqual([false, false])
    // a copy kept from before opens with nothing the project still has: not the project key
    expect(() =>
      openEnvelope(projectKey, chunkContext(project, 'customer-42', 0), keptCopy),
    ).toThrow()
    // readers are told it was erased, and by which action
    await expect(liveDataset(accounts.alice!.ledger, overview, 'customer-42')).rejects.toThrow(
      DatasetErasedError,
    )
    // the other dataset is untouched
    expect((await readNumericDataset(source(datasets.kept!))).chunks).toHaveLength(3)
    expect(await liveDataset(accounts.alice!.ledger, overview, 'kept')).toBeDefined()

    // the trail: proposed, approved twice, executed, then each node's deletions
    for (const n of nodes) await n.node.accessLog.flush()
    const { entries } = await projectTimeline(accounts.alice!.ledger, projectId, {
      limit: Number.MAX_SAFE_INTEGER,
    })
    const kinds = entries.map(e => e.kind)
    const executedAt = kinds.indexOf('ActionExecuted')
    expect(kinds.filter(k => k === 'ActionApproved')).toHaveLength(2)
    const deleted = entries
      .slice(executedAt)
      .filter(e => e.kind === 'ProjectAccessBatchRecorded')
      .flatMap(e => e.args.records as Array<Record<string, string>>)
      .filter(r => Number(r.action) === ACCESS_ACTIONS.delete)
    expect(deleted).toHaveLength(8)
    // the auditor's trail check sees the erasure followed by the nodes' deletions
    const trail = await verifyProjectTrail(accounts.alice!.ledger, projectId)
    expect(trail.checks.find(c => c.subject === 'erasure')).toMatchObject({
      id: actionId,
      ok: true,
      detail: expect.stringMatching(/erased with 2 approval\(s\); 8 deletion\(s\) recorded/),
    })
  }, 60_000)

  it('a second run finds the action executed and nothing left to delete', async () => {
    const again = await erase(actionId, [])
    expect(again).toMatchObject({ executed: false, chunksDeleted: 0, manifestsDeleted: 0 })
  }, 60_000)
})
