/**
 * Revocation tested with the revoked parties' real keys: a member and then a node are
 * revoked, the key rotates each time, and each of them, holding its own private key and
 * every project key version it was ever given, tries to open what was sealed afterwards,
 * from every shard copy on every node's disk (as an operator who kept them would).
 * Nothing opens; what was sealed before still does, until `project rekey` re-seals it.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  grantToMember,
  projectOverview,
  rekeyProject,
  revokeAccess,
  type UploadedDataset,
  uploadNumericDataset,
} from '../client/sdk/index.ts'
import {
  type EnvelopeKey,
  type ProjectKey,
  unwrapProjectKey,
  type WrappedProjectKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../protocol/crypto/index.ts'
import { datasetIdOf, projectTimeline } from '../protocol/ledger/index.ts'
import { readDatasetManifest, readNumericDataset } from '../protocol/wire/index.ts'
import { eventually } from './eventually.ts'
import type { Account } from './ledger-fixture.ts'
import { type ProjectNetwork, startProjectNetwork, type TestNode } from './node-network.ts'

describe("revocation, against the revoked parties' own keys", () => {
  const project = 'revoked'
  let net: ProjectNetwork
  let alice: Account
  let bob: Account
  let node3: TestNode
  /** Every wrapped key alice's client delivered to a node after the setup (versions 2 and 3). */
  const delivered: WrappedProjectKey[] = []
  /** alice's own wrapped key of each version, as the revocations return them. */
  const owned: WrappedProjectKey[] = []
  let bobV1: ProjectKey
  let v3: ProjectKey
  let before: UploadedDataset
  let after: UploadedDataset
  const beforeValues = Array.from({ length: 12 }, (_, i) => BigInt(100 + i))
  const afterValues = Array.from({ length: 12 }, (_, i) => BigInt(7_000 + i))

  /** Every shard copy on every node's disk, by id: what colluding operators could pool. */
  async function everyShardOnDisk(): Promise<Map<string, Uint8Array>> {
    const shards = new Map<string, Uint8Array>()
    for (const n of net.nodes)
      for await (const [id] of n.node.store.entries()) shards.set(id, await n.node.store.get(id))
    return shards
  }

  /** Reads a dataset from the pooled copies, with the keys an attacker holds. */
  async function readFromDisk(dataset: string, keyFor: (version: number) => Promise<EnvelopeKey>) {
    const shards = await everyShardOnDisk()
    const onChain = (await net.fixture.accounts.alice.ledger.dataset(
      net.projectId,
      datasetIdOf(dataset),
    ))!
    return readNumericDataset({
      keyFor,
      project,
      dataset,
      manifest: { shardId: onChain.manifestShardId, holders: [] },
      committedRoot: onChain.root,
      readShard: async shardId => {
        const shard = shards.get(shardId)
        if (!shard) throw new Error(`no copy of ${shardId} on any disk`)
        return shard
      },
    })
  }

  const overview = () => projectOverview(alice.ledger, net.projectId)
  const upload = (dataset: string, values: bigint[], projectKey: ProjectKey, nodes: TestNode[]) =>
    uploadNumericDataset({
      client: net.alice,
      ledger: alice.ledger,
      projectKey,
      project,
      dataset,
      values,
      chunkSize: 8,
      storage: nodes.map(n => ({ identity: n.account.name, peerId: n.node.peerId })),
    })

  beforeAll(async () => {
    net = await startProjectNetwork({ project, users: ['bob'], members: ['bob'], nodes: 3 })
    alice = net.accounts.alice!
    bob = net.accounts.bob!
    node3 = net.nodes[2]!
    const deliver = net.alice.deliverProjectKey.bind(net.alice)
    net.alice.deliverProjectKey = async (peer, key) => {
      delivered.push(key)
      return deliver(peer, key)
    }
    // alice keeps version 1 wrapped to herself; bob gets it through the nodes
    const own1 = wrapProjectKey(net.projectKey, alice.key.publicKey)
    await alice.ledger.recordGrant(net.projectId, 'alice', 1, wrappedKeyDigest(own1))
    owned.push(own1)
    const bobGrant = await grantToMember({
      client: net.alice,
      ledger: alice.ledger,
      ownKey: own1,
      privateKey: alice.key.privateKey,
      identity: 'bob',
      storage: net.storage,
    })
    bobV1 = unwrapProjectKey(bobGrant, bob.key.privateKey)
    // on node1 and node3 only: with two copies each, node3 holds every shard of it
    before = await upload('before', beforeValues, net.projectKey, [net.nodes[0]!, node3])

    // bob leaves (version 2, the three nodes re-attested), then node3 does (version 3)
    const bobGone = await revokeAccess({
      client: net.alice,
      ledger: alice.ledger,
      project: await overview(),
      me: alice.key,
      ownKey: own1,
      revoke: 'bob',
    })
    expect(bobGone).toMatchObject({ keyVersion: 2, nodes: ['node1', 'node2', 'node3'] })
    owned.push(bobGone.own)
    const nodeGone = await revokeAccess({
      client: net.alice,
      ledger: alice.ledger,
      project: await overview(),
      me: alice.key,
      ownKey: bobGone.own,
      revoke: 'node3',
    })
    expect(nodeGone).toMatchObject({ keyVersion: 3, nodes: ['node1', 'node2'], unreached: [] })
    owned.push(nodeGone.own)
    v3 = unwrapProjectKey(nodeGone.own, alice.key.privateKey)
    after = await upload('after', afterValues, v3, net.nodes.slice(0, 2))
  }, 180_000)

  afterAll(async () => {
    await net?.stop()
  })

  it('no wrapped copy of a later version opens with the revoked party private key', async () => {
    const copies = [...owned, ...delivered]
    // the keys are real: each opens what it was given before its revocation
    expect(unwrapProjectKey(owned[0]!, alice.key.privateKey).version).toBe(1)
    const node3Copies = delivered.filter(w => w.recipient === node3.account.key.fingerprint)
    expect(node3Copies.map(w => w.version)).toEqual([2])
    expect(unwrapProjectKey(node3Copies[0]!, node3.account.key.privateKey).version).toBe(2)

    const laterThan = (version: number) => copies.filter(w => w.version > version)
    expect(laterThan(1).length).toBeGreaterThanOrEqual(7)
    for (const w of laterThan(1))
      expect(() => unwrapProjectKey(w, bob.key.privateKey), `v${w.version}`).toThrow()
    for (const w of laterThan(2))
      expect(() => unwrapProjectKey(w, node3.account.key.privateKey), `v${w.version}`).toThrow()
    // and the chain grants neither of them anything now
    expect((await alice.ledger.grantOf(net.projectId, 'bob')).keyVersion).toBe(0)
    expect((await alice.ledger.grantOf(net.projectId, 'node3')).keyVersion).toBe(0)
    await expect(node3.node.vault.projectKey(project, 3)).rejects.toMatchObject({
      name: 'ProjectKeyNotHeldError',
    })
  })

  it('with every shard copy from every disk, the revoked member opens nothing sealed after him', async () => {
    // the copies are complete: version 3 opens them
    const read = await readFromDisk('after', async () => v3)
    expect(read.chunks.flatMap(c => c.values)).toEqual(afterValues)
    // bob's one key, offered for whatever version a shard names
    await expect(readFromDisk('after', async () => bobV1)).rejects.toMatchObject({
      name: 'DatasetIntegrityError',
      message: expect.stringContaining('its manifest does not open'),
    })
    // what was sealed before his revocation, he could read then and still can
    const old = await readFromDisk('before', async () => bobV1)
    expect(old.chunks.flatMap(c => c.values)).toEqual(beforeValues)
  })

  it('the revoked node, with every version its vault holds, opens nothing sealed after it', async () => {
    const held = [1, 2].map(v => node3.node.vault.projectKey(project, v))
    const keys = await Promise.all(held)
    expect(keys.map(k => k.version)).toEqual([1, 2])
    // after its revocation it was sent nothing, and holds no copy of the new dataset
    expect(await node3.node.store.has(after.manifest.shardId)).toBe(false)
    // what it does hold, it no longer serves, even to the owner (once its revocation watch
    // has seen the revocation: about a second)
    expect(await node3.node.store.has(before.manifest.shardId)).toBe(true)
    await eventually(
      () =>
        net.alice.getShard(node3.node.peerId, net.projectId, before.manifest.shardId).then(
          () => false,
          (err: { code?: string }) => err.code === 'no-grant',
        ),
      5_000,
    )
    for (const key of keys)
      await expect(readFromDisk('after', async () => key)).rejects.toMatchObject({
        name: 'DatasetIntegrityError',
      })
    await expect(
      readDatasetManifest({
        keyFor: version => node3.node.vault.projectKey(project, version),
        project,
        dataset: 'after',
        manifest: after.manifest,
        committedRoot: after.root,
        readShard: async () => (await everyShardOnDisk()).get(after.manifest.shardId)!,
      }),
    ).rejects.toMatchObject({ name: 'ProjectKeyNotHeldError' })
  })

  it('project rekey re-seals the old data past both of them; the copies they kept are gone', async () => {
    const keyFor = async (version: number) => {
      if (version === 1) return net.projectKey
      if (version === 3) return v3
      throw new Error(`no key version ${version} was used`)
    }
    const [done] = await rekeyProject({
      client: net.alice,
      ledger: alice.ledger,
      project: await overview(),
      datasets: ['before'],
      keyFor,
      storage: net.storage.slice(0, 2),
      journal: join(await mkdtemp(join(tmpdir(), 'sealnet-revocation-')), 'journal.json'),
    })
    expect(done).toMatchObject({ dataset: 'before', resealed: 2, deleteFailures: [] })
    expect((await readFromDisk('before', async () => v3)).chunks.flatMap(c => c.values)).toEqual(
      beforeValues,
    )
    // the chain now names a manifest under version 3: neither old key opens it
    const old = [bobV1, await node3.node.vault.projectKey(project, 2)]
    for (const key of old)
      await expect(readFromDisk('before', async () => key)).rejects.toMatchObject({
        name: 'DatasetIntegrityError',
      })
    // and no copy of the version-1 manifest is left on any disk: the revoked node, which
    // serves no reads, still deleted what the admin removed
    expect((await everyShardOnDisk()).has(before.manifest.shardId)).toBe(false)
    // and its deletions reach the audit trail: the chain takes them from a revoked node
    await node3.node.accessLog.flush()
    expect(await node3.node.accessLog.deadLetters()).toEqual(
      expect.not.arrayContaining([
        expect.objectContaining({ record: expect.objectContaining({ action: 2 }) }),
      ]),
    )
    const { entries } = await projectTimeline(alice.ledger, net.projectId, {
      kinds: ['ProjectAccessBatchRecorded'],
      involving: 'node3',
    })
    const deleted = entries.flatMap(e =>
      (e.args.records as Array<{ objectId: string; action: string }>)
        .filter(r => Number(r.action) === 2)
        .map(r => r.objectId.slice(2)),
    )
    expect(deleted).toContain(before.manifest.shardId)
  })
})
