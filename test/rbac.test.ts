/**
 * Roles end to end, on a real node and chain: owner ⊇ admin ⊇ member, and auditor apart.
 * An auditor reads the log and re-checks it but downloads nothing; a member uploads,
 * reads and submits jobs; only admins delete, share and authorize. Every refusal names
 * the role that was missing, on the node and on the chain.
 */
import { id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyProjectTrail } from '../client/sdk/index.ts'
import { createProjectKey, sealEnvelope, utf8 } from '../protocol/crypto/index.ts'
import { JOB_KINDS } from '../protocol/job-kinds/index.ts'
import { projectIdOf, projectTimeline, ROLES } from '../protocol/ledger/index.ts'
import type { PeerClient } from '../protocol/wire/index.ts'
import { type Fixture, startFixture } from './ledger-fixture.ts'
import {
  grantKeyToNodes,
  startClient,
  startNodes,
  stopNodes,
  type TestNode,
} from './node-network.ts'

describe('roles, enforced by the node and the chain', () => {
  let fixture: Fixture
  let nodes: TestNode[]
  const clients: Record<string, PeerClient> = {}
  let shardId: string
  const project = 'roles'
  const projectId = projectIdOf(project)
  const key = createProjectKey(project)
  const shard = (text: string) =>
    sealEnvelope(key, { projectId: project, objectId: text, chunkIndex: 0 }, utf8(text))
  const refusedFor = (who: string, role: string, action: string) =>
    expect.objectContaining({
      name: 'PeerRefusedError',
      code: 'unauthorized',
      message: expect.stringContaining(
        `${who} lacks the ${role} role in project ${projectId} needed to ${action}`,
      ),
    })
  const chainRefused = (role: keyof typeof ROLES) =>
    expect.objectContaining({
      name: 'LedgerRevertError',
      reason: 'ProjectsMissingRole',
      args: expect.arrayContaining([ROLES[role]]),
    })

  beforeAll(async () => {
    fixture = await startFixture()
    const { alice, bob, carol, dave } = fixture.accounts
    for (const who of [alice, bob, carol, dave])
      await who.ledger.registerIdentity('user', who.record)
    await alice.ledger.createProject(project, 0)
    await alice.ledger.grantRole(projectId, 'member', bob.address)
    await alice.ledger.grantRole(projectId, 'auditor', carol.address)
    await alice.ledger.grantRole(projectId, 'admin', dave.address)
    nodes = await startNodes([fixture.accounts.node1])
    await alice.ledger.allowMeasurement(projectId, nodes[0]!.node.measurement)
    for (const name of ['alice', 'bob', 'carol', 'dave'] as const)
      clients[name] = await startClient(fixture.accounts[name], nodes[0]!)
    await grantKeyToNodes(alice.ledger, clients.alice!, nodes, key)
  }, 120_000)

  afterAll(async () => {
    for (const client of Object.values(clients)) await client.stop()
    await stopNodes(nodes ?? [])
    await fixture?.chain.close()
  })

  const node = () => nodes[0]!.node.peerId

  it('a member uploads, reads and submits jobs, but neither deletes nor shares', async () => {
    const bob = clients.bob!
    const sealed = shard('by bob')
    ;({ shardId } = await bob.putShard(node(), projectId, sealed))
    expect(Buffer.from(await bob.getShard(node(), projectId, shardId))).toEqual(Buffer.from(sealed))
    await expect(bob.deleteShard(node(), projectId, shardId)).rejects.toEqual(
      refusedFor('bob', 'admin', 'delete'),
    )
    const { ledger } = fixture.accounts.bob
    await ledger.submitJob(id('job by bob'), projectId, JOB_KINDS.stats, id('spec'), id('root'))
    await expect(
      ledger.grantRole(projectId, 'member', fixture.accounts.carol.address),
    ).rejects.toEqual(chainRefused('admin'))
    await expect(ledger.recordGrant(projectId, 'carol', 1, 'ab'.repeat(32))).rejects.toEqual(
      chainRefused('admin'),
    )
  })

  it('an auditor reads the log and re-checks it, but downloads, uploads and submits nothing', async () => {
    const carol = clients.carol!
    await expect(carol.getShard(node(), projectId, shardId)).rejects.toEqual(
      refusedFor('carol', 'member', 'read'),
    )
    await expect(carol.putShard(node(), projectId, shard('by carol'))).rejects.toEqual(
      refusedFor('carol', 'member', 'write'),
    )
    const { ledger } = fixture.accounts.carol
    await expect(
      ledger.submitJob(id('job by carol'), projectId, JOB_KINDS.stats, id('spec'), id('root')),
    ).rejects.toEqual(chainRefused('member'))
    const { entries } = await projectTimeline(ledger, projectId)
    expect(entries.map(e => e.kind)).toContain('JobSubmitted')
    await expect(verifyProjectTrail(ledger, projectId)).resolves.toMatchObject({ failed: 0 })
  })

  it('an admin deletes and shares; an outsider is refused everything', async () => {
    const dave = clients.dave!
    await dave.deleteShard(node(), projectId, shardId)
    await expect(dave.getShard(node(), projectId, shardId)).rejects.toMatchObject({
      code: 'not-found',
    })
    await fixture.accounts.dave.ledger.grantRole(
      projectId,
      'member',
      fixture.accounts.carol.address,
    )
    // the node's cached refusal is never kept: carol reads at once as a member
    const again = shard('again')
    const { shardId: fresh } = await clients.bob!.putShard(node(), projectId, again)
    expect(Buffer.from(await clients.carol!.getShard(node(), projectId, fresh))).toEqual(
      Buffer.from(again),
    )
  })
})
