/**
 * A node's consent, on real nodes and a real chain: anyone can create a project,
 * allowlist a node's measurement and record a grant to it, but a node whose operator
 * accepts only some owners' projects refuses the key and the shards of any other, and a
 * project it serves can't fill it for the others (a per-project quota).
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createProjectKey,
  importPublicKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../protocol/crypto/index.ts'
import { projectIdOf } from '../protocol/ledger/index.ts'
import type { PeerClient } from '../protocol/wire/index.ts'
import { type Fixture, startFixture } from './ledger-fixture.ts'
import {
  grantKeyToNodes,
  startClient,
  startNodes,
  stopNodes,
  type TestNode,
} from './node-network.ts'

const QUOTA = 64 * 1024
const refused = (code: string) => expect.objectContaining({ name: 'PeerRefusedError', code })

describe("a node's consent to the projects it serves", () => {
  let fixture: Fixture
  let nodes: TestNode[]
  let alice: PeerClient
  let mallory: PeerClient

  beforeAll(async () => {
    fixture = await startFixture({ verifier: false })
    const { alice: owner, dave, node1 } = fixture.accounts
    await owner.ledger.registerIdentity('user', owner.record)
    await dave.ledger.registerIdentity('user', dave.record)
    nodes = await startNodes([node1], { acceptOwners: ['alice'], projectQuotaBytes: QUOTA })
    alice = await startClient(owner, nodes[0]!)
    mallory = await startClient(dave, nodes[0]!)
  }, 120_000)

  afterAll(async () => {
    await alice?.stop()
    await mallory?.stop()
    await stopNodes(nodes ?? [])
    await fixture?.chain.close()
  })

  it('refuses the key and the shards of a project its operator did not accept, though the chain grants it', async () => {
    const { dave } = fixture.accounts
    const node = nodes[0]!
    // the attack: dave creates a project, allowlists node1's build and grants it a key
    const projectId = await dave.ledger.createProject('mallory-storage', 0)
    await dave.ledger.allowMeasurement(projectId, node.node.measurement)
    const key = createProjectKey('mallory-storage')
    const wrapped = wrapProjectKey(
      key,
      importPublicKey((await dave.ledger.identity('node1'))!.publicKey),
    )
    await dave.ledger.recordGrant(
      projectId,
      'node1',
      1,
      wrappedKeyDigest(wrapped),
      node.node.measurement,
    )
    await expect(mallory.deliverProjectKey(node.node.peerId, wrapped)).rejects.toThrow(
      refused('unauthorized'),
    )
    await expect(node.node.vault.projectKey('mallory-storage')).rejects.toMatchObject({
      name: 'ProjectKeyNotHeldError',
    })
    await expect(mallory.putShard(node.node.peerId, projectId, randomBytes(1000))).rejects.toThrow(
      refused('unauthorized'),
    )
    expect(node.node.store.stats().shards).toBe(0)
  })

  it("serves an accepted owner's project, up to its own quota; another project still has room", async () => {
    const { alice: owner } = fixture.accounts
    const node = nodes[0]!
    for (const name of ['acme', 'acme-two']) {
      const projectId = await owner.ledger.createProject(name, 0)
      await owner.ledger.allowMeasurement(projectId, node.node.measurement)
      await grantKeyToNodes(owner.ledger, alice, nodes, createProjectKey(name))
    }
    const acme = projectIdOf('acme')
    for (let i = 0; i < QUOTA / 16_384; i++) {
      await alice.putShard(node.node.peerId, acme, randomBytes(16_384))
    }
    await expect(alice.putShard(node.node.peerId, acme, randomBytes(16_384))).rejects.toThrow(
      refused('quota'),
    )
    expect(node.node.store.projectBytes(acme)).toBe(QUOTA)
    // one project full does not fill the node for the others
    await alice.putShard(node.node.peerId, projectIdOf('acme-two'), randomBytes(16_384))
    expect(node.node.store.projectBytes(projectIdOf('acme-two'))).toBe(16_384)
  })
})
