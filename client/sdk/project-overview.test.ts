import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { identityIdOf, projectIdOf } from '../../protocol/ledger/index.ts'
import { type Fixture, startFixture } from '../../test/ledger-fixture.ts'
import { everyProjectNode, projectNodes, projectOverview } from './project-overview.ts'

describe('projectOverview (events of a Hardhat ledger)', () => {
  let f: Fixture
  beforeAll(async () => {
    f = await startFixture({ verifier: false })
  }, 60_000)
  afterAll(() => f?.chain.close())

  it('tells owner, roles, live grants per key version, datasets, and which nodes serve', async () => {
    const { alice, bob, carol, node1, node2 } = f.accounts
    await alice.ledger.registerIdentity('user', alice.record)
    await bob.ledger.registerIdentity('user', bob.record)
    await node1.ledger.registerIdentity('node', node1.record, 'peer-1')
    await node2.ledger.registerIdentity('node', node2.record, 'peer-2')
    const id = await alice.ledger.createProject('overview', 86_400)
    expect(id).toBe(projectIdOf('overview'))
    await alice.ledger.grantRole(id, 'member', bob.address)
    await alice.ledger.grantRole(id, 'auditor', carol.address)
    await alice.ledger.revokeRole(id, 'auditor', carol.address)
    await alice.ledger.recordGrant(id, 'bob', 1, 'aa'.repeat(32))
    const measurement = identityIdOf('a node build')
    await alice.ledger.allowMeasurement(id, measurement)
    await alice.ledger.recordGrant(id, 'node1', 1, 'bb'.repeat(32), measurement)
    await alice.ledger.recordGrant(id, 'node2', 1, 'cc'.repeat(32), measurement)
    await alice.ledger.revokeGrant(id, 'node2')
    await alice.ledger.commitDataset(
      id,
      identityIdOf('d'),
      identityIdOf('root'),
      2,
      'dd'.repeat(32),
    )

    const o = await projectOverview(bob.ledger, id)
    expect(o).toMatchObject({ name: 'overview', retentionSeconds: 86_400, keyVersion: 1 })
    expect(o.members).toEqual([
      { account: alice.address.toLowerCase(), identity: 'alice', roles: ['owner'] },
      { account: bob.address.toLowerCase(), identity: 'bob', roles: ['member'] },
    ])
    expect(o.grants.map(g => [g.identity, g.kind, g.keyVersion])).toEqual([
      ['bob', 'user', 1],
      ['node1', 'node', 1],
    ])
    expect(o.datasets).toEqual([
      {
        datasetId: identityIdOf('d'),
        root: identityIdOf('root'),
        chunks: 2,
        manifestShardId: 'dd'.repeat(32),
      },
    ])
    expect(projectNodes(o)).toEqual([{ identity: 'node1', peerId: 'peer-1' }])
    // node2 was revoked: it serves no more, but may still hold shards to delete
    expect(o.formerNodes).toEqual([{ identity: 'node2', peerId: 'peer-2' }])
    expect(everyProjectNode(o, [{ identity: 'node1', peerId: 'peer-1' }])).toEqual([
      { identity: 'node1', peerId: 'peer-1' },
      { identity: 'node2', peerId: 'peer-2' },
    ])

    // after a rotation, a node granted only the old version no longer serves, but holds data
    await alice.ledger.rotateProjectKey(id)
    const rotated = await projectOverview(bob.ledger, id)
    expect(projectNodes(rotated)).toEqual([])
    expect(everyProjectNode(rotated).map(n => n.identity)).toEqual(['node1', 'node2'])
    // a node granted again is current, not former
    await alice.ledger.recordGrant(id, 'node2', 2, 'ee'.repeat(32), measurement)
    expect((await projectOverview(bob.ledger, id)).formerNodes).toEqual([])
    expect((await projectOverview(bob.ledger, projectIdOf('nothing'))).name).toBe('')
  }, 60_000)
})
