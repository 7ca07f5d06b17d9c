/**
 * Repair on real nodes: five nodes, a dataset at r = 2, and two nodes stopped for good one
 * after the other with a repair between them. The second one held the other copy of
 * chunks whose first copy was on the first: without the repair those chunks would be
 * gone. After it, every chunk reads back intact and has two live copies, the copies are
 * recorded on chain as writes by the nodes that took them, and a repair with nothing to
 * do changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  liveNodes,
  projectOverview,
  repairDataset,
  type UploadedDataset,
  uploadNumericDataset,
} from '../client/sdk/index.ts'
import { datasetIdOf, identityIdOf } from '../protocol/ledger/index.ts'
import {
  type DatasetManifest,
  fetchShard,
  readDatasetManifest,
  readNumericDataset,
  type StorageNode,
} from '../protocol/wire/index.ts'
import { type ProjectNetwork, startProjectNetwork } from './node-network.ts'

describe('repairing a dataset after nodes are lost for good', () => {
  let net: ProjectNetwork
  let dataset: UploadedDataset
  const project = 'repair'
  const values = Array.from({ length: 160 }, (_, i) => BigInt((i * 7919) % 1000))
  const keyFor = async () => net.projectKey

  beforeAll(async () => {
    net = await startProjectNetwork({ project, nodes: 5 })
    dataset = await uploadNumericDataset({
      client: net.alice,
      ledger: net.accounts.alice!.ledger,
      projectKey: net.projectKey,
      project,
      dataset: 'spend',
      values,
      chunkSize: 8,
      storage: net.storage,
    })
  }, 180_000)

  afterAll(() => net?.stop())

  /** The dataset's manifest as the chain names it now, read from `live`. */
  const manifestNow = async (live: readonly StorageNode[]): Promise<DatasetManifest> => {
    const committed = await net.accounts.alice!.ledger.dataset(net.projectId, datasetIdOf('spend'))
    return readDatasetManifest({
      keyFor,
      project,
      dataset: 'spend',
      manifest: { shardId: committed!.manifestShardId, holders: [...live] },
      committedRoot: committed!.root,
      readShard: async (shardId, holders, projectId) =>
        (await fetchShard(net.alice, projectId, shardId, holders)).shard,
    })
  }
  const repair = async () =>
    repairDataset({
      client: net.alice,
      ledger: net.accounts.alice!.ledger,
      project: await projectOverview(net.accounts.alice!.ledger, net.projectId),
      dataset: 'spend',
      keyFor,
      live: await liveNodes(net.alice, net.storage),
    })
  const stopForGood = async (identity: string) =>
    net.nodes.find(n => n.account.name === identity)!.node.stop()

  it('two losses with a repair between: every chunk reads back, from two live copies', async () => {
    const first = await manifestNow(net.storage)
    expect(first.chunks).toHaveLength(20)
    // the two holders of chunk 0: once both are gone, only a repair between saves it
    const [a, b] = first.chunks[0]!.holders.map(h => h.identity) as [string, string]
    const onBoth = first.chunks
      .map((c, i) => ({ i, on: c.holders.map(h => h.identity) }))
      .filter(c => c.on.includes(a) && c.on.includes(b))
      .map(c => c.i)
    expect(onBoth).toContain(0)
    // and nowhere else: no other node serves it
    for (const other of net.storage.filter(n => n.identity !== a && n.identity !== b))
      await expect(
        net.alice.getShard(other.peerId, net.projectId, first.chunks[0]!.shardId),
      ).rejects.toThrow(expect.objectContaining({ code: 'not-found' }))

    await stopForGood(a)
    const live = await liveNodes(net.alice, net.storage)
    expect(live.map(n => n.identity)).not.toContain(a)
    expect(live).toHaveLength(4)
    const short = first.chunks.filter(c => c.holders.some(h => h.identity === a)).length
    const repaired = await repair()
    expect(repaired).toMatchObject({ chunks: 20, repaired: short, copies: short, lost: [] })
    expect(repaired.manifest).not.toBe(dataset.manifest.shardId)

    // two live copies of every chunk, where the new manifest says
    const second = await manifestNow(live)
    for (const [i, chunk] of second.chunks.entries()) {
      expect(chunk.holders, `chunk ${i}`).toHaveLength(2)
      expect(chunk.holders.map(h => h.identity)).not.toContain(a)
      for (const holder of chunk.holders)
        await expect(
          net.alice.getShard(holder.peerId, net.projectId, chunk.shardId),
        ).resolves.toBeDefined()
    }

    // the copies are on chain as writes, by the nodes that took them
    for (const n of net.nodes.filter(n => n.account.name !== a)) await n.node.accessLog.flush()
    const projects = net.accounts.alice!.ledger.projects
    const events = await projects.queryFilter(
      projects.filters.ProjectAccessBatchRecorded!(net.projectId),
    )
    type Batch = {
      args: { nodeId: string; records: Array<{ objectId: string; action: bigint }> }
    }
    const writers = (shardId: string) =>
      events
        .map(e => (e as unknown as Batch).args)
        .filter(b => b.records.some(r => r.objectId === `0x${shardId}` && r.action === 1n))
        .map(b => b.nodeId)
    const moved = second.chunks[0]!
    const newHolder = moved.holders.find(h => h.identity !== b)!
    expect(writers(moved.shardId)).toContain(identityIdOf(newHolder.identity))

    // the second loss: chunk 0's other first copy
    await stopForGood(b)
    const rest = await liveNodes(net.alice, net.storage)
    expect(rest).toHaveLength(3)
    const again = await repair()
    expect(again.lost).toEqual([])
    const committed = await net.accounts.alice!.ledger.dataset(net.projectId, datasetIdOf('spend'))
    const read = await readNumericDataset({
      keyFor,
      project,
      dataset: 'spend',
      manifest: { shardId: committed!.manifestShardId, holders: rest },
      committedRoot: committed!.root,
      readShard: async (shardId, holders, projectId) =>
        (await fetchShard(net.alice, projectId, shardId, holders)).shard,
    })
    expect(read.chunks.flatMap(c => c.values)).toEqual(values)

    // all is well now: a repair finds nothing to do and leaves the chain as it is
    const idle = await repair()
    expect(idle).toMatchObject({ repaired: 0, copies: 0, lost: [], manifest: again.manifest })
  }, 300_000)
})
