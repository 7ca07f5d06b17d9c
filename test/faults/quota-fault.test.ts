/**
 * A node whose disk quota fills during an upload, on real nodes (libp2p, LevelDB) and a
 * real chain: it refuses further shards with `quota`, the upload places them on the
 * others, nothing is lost, the full node keeps serving what it holds, and an upload with
 * nowhere left to go fails naming the quota.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type UploadedDataset, uploadNumericDataset } from '../../client/sdk/index.ts'
import { createProjectKey, sealEnvelope, utf8 } from '../../protocol/crypto/index.ts'
import { projectIdOf } from '../../protocol/ledger/index.ts'
import {
  fetchShard,
  type PeerClient,
  placeShard,
  readNumericDataset,
  type StorageNode,
} from '../../protocol/wire/index.ts'
import { type Fixture, startFixture } from '../ledger-fixture.ts'
import {
  grantKeyToNodes,
  startClient,
  startNodes,
  stopNodes,
  type TestNode,
} from '../node-network.ts'

const QUOTA = 4096

describe('a node whose quota fills', () => {
  let fixture: Fixture
  let nodes: TestNode[]
  let alice: PeerClient
  let storage: StorageNode[]
  let dataset: UploadedDataset
  const project = 'quota'
  const projectId = projectIdOf(project)
  const key = createProjectKey(project)
  const values = Array.from({ length: 400 }, (_, i) => BigInt((i * 7919) % 100_000))

  beforeAll(async () => {
    fixture = await startFixture()
    const owner = fixture.accounts.alice.ledger
    await owner.registerIdentity('user', fixture.accounts.alice.record)
    await owner.createProject(project, 0)
    const roomy = await startNodes([fixture.accounts.node1, fixture.accounts.node2])
    const tight = await startNodes([fixture.accounts.node3], {
      quotaBytes: QUOTA,
      bootstrap: roomy[0]!.node.multiaddrs,
    })
    nodes = [...roomy, ...tight]
    await owner.allowMeasurement(projectId, nodes[0]!.node.measurement)
    alice = await startClient(fixture.accounts.alice, nodes[0]!)
    await grantKeyToNodes(owner, alice, nodes, key)
    storage = nodes.map(n => ({ identity: n.account.name, peerId: n.node.peerId }))
  }, 120_000)

  afterAll(async () => {
    await alice?.stop()
    await stopNodes(nodes ?? [])
    await fixture?.chain.close()
  })

  it('the upload goes on around the full node, and every value reads back', async () => {
    dataset = await uploadNumericDataset({
      client: alice,
      ledger: fixture.accounts.alice.ledger,
      projectKey: key,
      project,
      dataset: 'big',
      values,
      chunkSize: 8,
      storage,
    })
    const full = nodes[2]!.node.store.stats()
    // it filled up: no room is left for another shard of this size, and none went over
    expect(full.bytes).toBeLessThanOrEqual(QUOTA)
    expect(QUOTA - full.bytes).toBeLessThan(full.bytes / full.shards)
    const read = await readNumericDataset({
      keyFor: async () => key,
      project,
      dataset: 'big',
      manifest: dataset.manifest,
      committedRoot: dataset.root,
      readShard: async (shardId, holders) => {
        expect(holders).toHaveLength(2)
        return (await fetchShard(alice, projectId, shardId, holders)).shard
      },
    })
    expect(read.chunks.flatMap(c => c.values)).toEqual(values)
  })

  it('the full node still serves what it holds, and a shard with nowhere to go is refused naming the quota', async () => {
    const full = nodes[2]!
    const only = [{ identity: full.account.name, peerId: full.node.peerId }]
    const held = await full.node.store.list()
    expect(held).toHaveLength(full.node.store.stats().shards)
    for (const shardId of held) {
      const fetched = await fetchShard(alice, projectId, shardId, only)
      expect(fetched.from).toEqual(only[0])
      expect(Buffer.from(fetched.shard)).toEqual(Buffer.from(await full.node.store.get(shardId)))
    }
    const shard = sealEnvelope(
      key,
      { projectId: project, objectId: 'too-big', chunkIndex: 0 },
      utf8('x'.repeat(QUOTA)),
    )
    await expect(placeShard(alice, projectId, shard, only, 1)).rejects.toMatchObject({
      name: 'ReplicationError',
      message: expect.stringMatching(/is on 0 of 1 nodes wanted: node3: .*quota/),
    })
  })
})
