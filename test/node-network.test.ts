/**
 * Three real nodes on loopback (TCP, Noise, Yamux, Kademlia, gossipsub) over a real
 * in-process chain: discovery, key delivery gated by ledger grants, replicated shards,
 * failover, restart, tampering on disk, refusals, attestation, access records, retention.
 */
import { randomBytes } from 'node:crypto'
import { Level } from 'level'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretVaultName } from '../node/protocols/index.ts'
import {
  createProjectKey,
  importPublicKey,
  sealEnvelope,
  sealToPublicKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../protocol/crypto/index.ts'
import { projectIdOf } from '../protocol/ledger/index.ts'
import {
  fetchShard,
  type PeerClient,
  placeShard,
  type StorageNode,
  secretPurpose,
  verifyAttestation,
} from '../protocol/wire/index.ts'
import { eventually } from './eventually.ts'
import { type Fixture, startFixture } from './ledger-fixture.ts'
import { startClient, startNodes, stopNodes, type TestNode } from './node-network.ts'

const hasName = (name: string) => expect.objectContaining({ name })
const refused = (code: string) => expect.objectContaining({ name: 'PeerRefusedError', code })

describe('a three-node network', () => {
  let fixture: Fixture
  let nodes: TestNode[]
  let alice: PeerClient
  const project = 'node-network'
  const projectId = projectIdOf(project)
  const projectKey = createProjectKey(project)
  let storage: StorageNode[]

  const sealedChunk = (index: number) =>
    sealEnvelope(
      projectKey,
      { projectId: project, objectId: 'dataset', chunkIndex: index },
      randomBytes(4096),
    )

  beforeAll(async () => {
    fixture = await startFixture({ verifier: false })
    const { alice: owner, bob, node1, node2, node3 } = fixture.accounts
    await owner.ledger.registerIdentity('user', owner.record)
    await bob.ledger.registerIdentity('user', bob.record)
    await fixture.accounts.carol.ledger.registerIdentity('user', fixture.accounts.carol.record)
    await owner.ledger.createProject(project, 0)
    await owner.ledger.grantRole(projectId, 'member', bob.address)
    nodes = await startNodes([node1, node2, node3])
    await owner.ledger.allowMeasurement(projectId, nodes[0]!.node.measurement)
    alice = await startClient(owner, nodes[0]!)
    storage = nodes.map(n => ({ identity: n.account.name, peerId: n.node.peerId }))
  }, 120_000)

  afterAll(async () => {
    await alice?.stop()
    await stopNodes(nodes ?? [])
    await fixture?.chain.close()
  })

  it('nodes find each other through the bootstrap peer and the private DHT', async () => {
    await eventually(() => nodes.every(n => n.node.host.getPeers().length >= 2))
    // node2 and node3 only know node1 at start: they met through the DHT
    await eventually(async () => {
      const store = nodes[1]!.node.host.peerStore
      const other = nodes[2]!.node.host.peerId
      return (
        (await store.has(other)) &&
        (await store.get(other)).protocols.includes('/sealnet/kad/1.0.0')
      )
    })
    expect(nodes[0]!.node.host.getProtocols()).not.toContain('/ipfs/kad/1.0.0')
  })

  it('all nodes built from this code with the same settings measure the same', () => {
    expect(new Set(nodes.map(n => n.node.measurement)).size).toBe(1)
    expect(nodes[0]!.node.measurement).toMatch(/^0x[0-9a-f]{64}$/)
  })

  it('a node answers our nonce with a measurement signed by its registered key', async () => {
    const attestation = await alice.attest(nodes[1]!.node.peerId)
    const registered = await fixture.accounts.alice.ledger.identity('node2')
    expect(attestation.measurement).toBe(nodes[1]!.node.measurement)
    expect(verifyAttestation(attestation, importPublicKey(registered!.publicKey))).toBe(true)
    const node1Key = await fixture.accounts.alice.ledger.identity('node1')
    expect(verifyAttestation(attestation, importPublicKey(node1Key!.publicKey))).toBe(false)
  })

  it('a node keeps a project key only once the ledger records its grant', async () => {
    const target = nodes[0]!
    const nodeKey = await fixture.accounts.alice.ledger.identity('node1')
    const wrapped = wrapProjectKey(projectKey, importPublicKey(nodeKey!.publicKey))
    await expect(alice.deliverProjectKey(target.node.peerId, wrapped)).rejects.toThrow(
      refused('no-grant'),
    )
    await expect(target.node.vault.projectKey(project)).rejects.toThrow(
      hasName('ProjectKeyNotHeldError'),
    )

    const ledger = fixture.accounts.alice.ledger
    await ledger.recordGrant(
      projectId,
      'node1',
      1,
      wrappedKeyDigest(wrapped),
      target.node.measurement,
    )
    // a different wrapping of the same key does not match the recorded hash
    const other = wrapProjectKey(projectKey, importPublicKey(nodeKey!.publicKey))
    await expect(alice.deliverProjectKey(target.node.peerId, other)).rejects.toThrow(
      refused('no-grant'),
    )
    await alice.deliverProjectKey(target.node.peerId, wrapped)
    expect((await target.node.vault.projectKey(project)).key).toEqual(projectKey.key)

    for (const [i, name] of (['node2', 'node3'] as const).entries()) {
      const key = wrapProjectKey(
        projectKey,
        importPublicKey((await ledger.identity(name))!.publicKey),
      )
      await ledger.recordGrant(
        projectId,
        name,
        1,
        wrappedKeyDigest(key),
        nodes[i + 1]!.node.measurement,
      )
      await alice.deliverProjectKey(nodes[i + 1]!.node.peerId, key)
    }
  })

  it('a node keeps a project secret from an admin only, sealed in its vault', async () => {
    const target = nodes[0]!
    const nodeKey = importPublicKey(
      (await fixture.accounts.alice.ledger.identity('node1'))!.publicKey,
    )
    const secret = Buffer.from('{"kind":"aws","accessKeyId":"AKIA…"}')
    const box = sealToPublicKey(nodeKey, secret, secretPurpose(project, 'aws-prod'))
    const bob = await startClient(fixture.accounts.bob, nodes[0]!)
    try {
      await expect(bob.deliverSecret(target.node.peerId, project, 'aws-prod', box)).rejects.toThrow(
        refused('unauthorized'),
      )
      // sealed for another purpose (another secret name): does not open, nothing kept
      await expect(alice.deliverSecret(target.node.peerId, project, 'other', box)).rejects.toThrow(
        refused('malformed'),
      )
      await alice.deliverSecret(target.node.peerId, project, 'aws-prod', box)
    } finally {
      await bob.stop()
    }
    const kept = await target.node.vault.getSecret(secretVaultName(project, 'aws-prod'))
    expect(Buffer.from(kept!).equals(secret)).toBe(true)
    expect(await target.node.vault.getSecret(secretVaultName(project, 'other'))).toBeUndefined()
  })

  it('places each shard on two nodes chosen by DHT closeness and reads it back', async () => {
    const shard = sealedChunk(0)
    const placed = await placeShard(alice, projectId, shard, storage)
    expect(placed.holders).toHaveLength(2)
    for (const holder of placed.holders) {
      const node = nodes.find(n => n.account.name === holder.identity)!
      expect(await node.node.store.has(placed.shardId)).toBe(true)
    }
    const outsider = nodes.find(n => !placed.holders.some(h => h.identity === n.account.name))!
    expect(await outsider.node.store.has(placed.shardId)).toBe(false)
    const { shard: read, from } = await fetchShard(alice, projectId, placed.shardId, storage)
    expect(Buffer.from(read).equals(Buffer.from(shard))).toBe(true)
    expect(from).toEqual(placed.holders[0])
  })

  it('a member reads; a registered outsider and an unregistered peer are refused', async () => {
    const { shardId } = await placeShard(alice, projectId, sealedChunk(1), storage)
    const bob = await startClient(fixture.accounts.bob, nodes[0]!)
    const carol = await startClient(fixture.accounts.carol, nodes[0]!)
    const dave = await startClient(fixture.accounts.dave, nodes[0]!)
    try {
      expect((await fetchShard(bob, projectId, shardId, storage)).shard.length).toBeGreaterThan(
        4096,
      )
      const holder = (await fetchShard(alice, projectId, shardId, storage)).from.peerId
      await expect(carol.getShard(holder, projectId, shardId)).rejects.toThrow(
        refused('unauthorized'),
      )
      await expect(carol.putShard(holder, projectId, sealedChunk(2))).rejects.toThrow(
        refused('unauthorized'),
      )
      await expect(dave.getShard(holder, projectId, shardId)).rejects.toThrow(
        refused('unauthenticated'),
      )
      // members may not delete; only admins (alice owns the project)
      await expect(bob.deleteShard(holder, projectId, shardId)).rejects.toThrow(
        refused('unauthorized'),
      )
    } finally {
      await Promise.all([bob.stop(), carol.stop(), dave.stop()])
    }
  })

  it('tells nobody without a role whether it holds a shard, and a member nothing of another project', async () => {
    const { shardId } = await placeShard(alice, projectId, sealedChunk(3), storage)
    const bob = await startClient(fixture.accounts.bob, nodes[0]!)
    const carol = await startClient(fixture.accounts.carol, nodes[0]!)
    try {
      // every node refuses the outsider alike, whether it holds the shard or not
      for (const n of nodes)
        await expect(carol.getShard(n.node.peerId, projectId, shardId)).rejects.toThrow(
          refused('unauthorized'),
        )
      // node1 also serves another project, which bob is no member of
      const owner = fixture.accounts.alice.ledger
      const otherId = await owner.createProject('node-network-other', 0)
      await owner.allowMeasurement(otherId, nodes[0]!.node.measurement)
      await owner.recordGrant(otherId, 'node1', 1, 'ab'.repeat(32), nodes[0]!.node.measurement)
      const { shardId: foreign } = await alice.putShard(
        nodes[0]!.node.peerId,
        otherId,
        randomBytes(64),
      )
      await expect(bob.getShard(nodes[0]!.node.peerId, otherId, foreign)).rejects.toThrow(
        refused('unauthorized'),
      )
      // named as his own project's, it gets the answer a shard nobody stored gets
      const asked = (id: string): Promise<Error> =>
        bob.getShard(nodes[0]!.node.peerId, projectId, id).then(
          () => new Error('served'),
          (err: Error) => err,
        )
      const [theirs, nobodys] = [await asked(foreign), await asked('ee'.repeat(32))]
      expect(theirs).toMatchObject({ code: 'not-found' })
      expect(theirs.message.replaceAll(foreign, 'ID')).toBe(
        nobodys.message.replaceAll('ee'.repeat(32), 'ID'),
      )
    } finally {
      await Promise.all([bob.stop(), carol.stop()])
    }
  })

  it('a credential issued to another peer id is refused', async () => {
    const bob = await startClient(fixture.accounts.bob, nodes[0]!)
    try {
      // bob's client presents alice's credential (bound to alice's peer id)
      const stolen = alice.credential()
      const { sendRequest, ShardAnswerSchema, PROTOCOLS } = await import(
        '../protocol/wire/index.ts'
      )
      const stream = await bob.host.dialProtocol(nodes[0]!.node.host.peerId, PROTOCOLS.shard)
      const request = { op: 'get', credential: stolen, projectId, shardId: 'a'.repeat(64) }
      await expect(
        sendRequest(stream, 'node1', request, undefined, {
          answer: ShardAnswerSchema,
          maxAnswerBytes: 65536,
          timeoutMs: 5000,
        }),
      ).rejects.toThrow(refused('unauthenticated'))
    } finally {
      await bob.stop()
    }
  })

  it('a replica that is down is skipped, and a restart keeps its shards', async () => {
    const shard = sealedChunk(3)
    const placed = await placeShard(alice, projectId, shard, storage)
    const first = nodes.find(n => n.account.name === placed.holders[0]!.identity)!
    await first.node.stop()
    const { from } = await fetchShard(alice, projectId, placed.shardId, storage)
    expect(from).toEqual(placed.holders[1])
    await first.restart()
    expect(await first.node.store.has(placed.shardId)).toBe(true)
    // its peer store (LevelDB) still knows the other nodes
    const known = (await first.node.host.peerStore.all()).map(p => p.id.toString())
    for (const other of nodes.filter(n => n !== first)) expect(known).toContain(other.node.peerId)
    // the node came back with the same peer id (its key is sealed in its vault)
    expect(first.node.peerId).toBe(placed.holders[0]!.peerId)
    await eventually(async () => {
      try {
        return (
          (await fetchShard(alice, projectId, placed.shardId, storage)).from.peerId ===
          first.node.peerId
        )
      } catch {
        return false
      }
    }, 15_000)
  })

  it('a shard tampered with on disk is reported corrupt, never served, and read from the other replica', async () => {
    const placed = await placeShard(alice, projectId, sealedChunk(4), storage)
    const first = nodes.find(n => n.account.name === placed.holders[0]!.identity)!
    await first.node.stop()
    const db = new Level<string, Uint8Array>(`${first.dataDir}/shards`, { valueEncoding: 'view' })
    const stored = await db.get(`s!${placed.shardId}`)
    stored![100]! ^= 0xff
    await db.put(`s!${placed.shardId}`, stored!)
    await db.close()
    await first.restart()
    await expect(alice.getShard(first.node.peerId, projectId, placed.shardId)).rejects.toThrow(
      refused('corrupt'),
    )
    const { from } = await fetchShard(alice, projectId, placed.shardId, storage)
    expect(from).toEqual(placed.holders[1])
  })

  it('an admin deletes a shard; reads and writes reach the ledger as access records', async () => {
    const placed = await placeShard(alice, projectId, sealedChunk(5), storage)
    const holder = placed.holders[0]!.peerId
    await alice.deleteShard(holder, projectId, placed.shardId)
    await expect(alice.getShard(holder, projectId, placed.shardId)).rejects.toThrow(
      refused('not-found'),
    )
    let flushed = 0
    for (const n of nodes) flushed += await n.node.accessLog.flush()
    expect(flushed).toBeGreaterThan(0)
    const events = await fixture.accounts.alice.ledger.projects.queryFilter(
      fixture.accounts.alice.ledger.projects.filters.ProjectAccessBatchRecorded!(projectId),
    )
    type Row = { objectId: string; action: bigint }
    const objects = events.flatMap(e =>
      (e as unknown as { args: { records: Row[] } }).args.records.map(r => ({
        objectId: r.objectId,
        action: r.action,
      })),
    )
    expect(objects).toContainEqual(
      expect.objectContaining({ objectId: `0x${placed.shardId}`, action: 2n }),
    )
    expect(objects).toContainEqual(
      expect.objectContaining({ objectId: `0x${placed.shardId}`, action: 1n }),
    )
  })

  it('a node deletes shards past the project retention and records it', async () => {
    const placed = await placeShard(alice, projectId, sealedChunk(6), storage)
    const holder = nodes.find(n => n.account.name === placed.holders[0]!.identity)!
    await fixture.accounts.alice.ledger.setRetention(projectId, 60)
    try {
      expect(await holder.node.sweeper.sweep()).toBe(0)
      const deleted = await holder.node.sweeper.sweep(Date.now() + 61_000)
      expect(deleted).toBeGreaterThanOrEqual(1)
      expect(await holder.node.store.has(placed.shardId)).toBe(false)
      expect(await holder.node.accessLog.pending()).toBeGreaterThanOrEqual(1)
      await holder.node.accessLog.flush()
      expect(await holder.node.accessLog.pending()).toBe(0)
    } finally {
      await fixture.accounts.alice.ledger.setRetention(projectId, 0)
    }
  })
})
