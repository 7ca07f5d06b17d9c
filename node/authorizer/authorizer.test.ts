import { id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../../test/eventually.ts'
import { type Fixture, startFixture } from '../../test/ledger-fixture.ts'
import { LedgerAuthorizer } from './authorizer.ts'

describe('LedgerAuthorizer (on a Hardhat ledger)', () => {
  let f: Fixture
  let project: string
  const authorizers: LedgerAuthorizer[] = []
  beforeAll(async () => {
    f = await startFixture({ verifier: false })
    const { alice, bob, node1 } = f.accounts
    await alice.ledger.registerIdentity('user', alice.record)
    await bob.ledger.registerIdentity('user', bob.record)
    await node1.ledger.registerIdentity('node', node1.record, 'peer-1')
    project = await alice.ledger.createProject('authorized', 0)
    await alice.ledger.allowMeasurement(project, id('m'))
  }, 60_000)
  afterAll(async () => {
    for (const a of authorizers) await a.stop()
    await f?.chain.close()
  })

  /** An authorizer whose cache outlives the test, so only the revocation watch can drop it. */
  async function started(): Promise<{
    authorizer: LedgerAuthorizer
    roleReads: () => number
    polls: () => number
  }> {
    let reads = 0
    let polls = 0
    const ledger = f.accounts.node1.ledger
    const counting = Object.assign(Object.create(ledger), {
      hasRole: (...args: Parameters<typeof ledger.hasRole>) => {
        reads++
        return ledger.hasRole(...args)
      },
      revocationsSince: async (...args: Parameters<typeof ledger.revocationsSince>) => {
        const seen = await ledger.revocationsSince(...args)
        polls++
        return seen
      },
    }) as typeof ledger
    const authorizer = new LedgerAuthorizer({
      ledger: counting,
      cacheMs: 600_000,
      revocationPollMs: 100,
    })
    await authorizer.start()
    authorizers.push(authorizer)
    return { authorizer, roleReads: () => reads, polls: () => polls }
  }

  const bob = () => ({ name: 'bob', kind: 'user' as const, controller: f.accounts.bob.address })

  it('drops a cached role within a poll of its revocation, long before the cache expires', async () => {
    const { alice, bob: bobAccount } = f.accounts
    await alice.ledger.grantRole(project, 'member', bobAccount.address)
    const { authorizer, roleReads, polls } = await started()
    await authorizer.authorize(project, bob(), 'read')
    await authorizer.authorize(project, bob(), 'read')
    expect(roleReads()).toBe(1)

    // another event (a role granted to someone else) keeps the cache: three polls pass
    await alice.ledger.grantRole(project, 'auditor', f.accounts.carol.address)
    const mined = polls()
    await eventually(() => polls() >= mined + 3, { what: 'three revocation polls' })
    await authorizer.authorize(project, bob(), 'read')
    expect(roleReads()).toBe(1)

    await alice.ledger.revokeRole(project, 'member', bobAccount.address)
    await eventually(
      () =>
        authorizer.authorize(project, bob(), 'read').then(
          () => false,
          (err: { code?: string }) => err.code === 'unauthorized',
        ),
      5_000,
    )
  })

  it("drops a node's cached grant once it is revoked", async () => {
    const { alice } = f.accounts
    await alice.ledger.recordGrant(project, 'node1', 1, 'ab'.repeat(32), id('m'))
    const { authorizer } = await started()
    expect((await authorizer.requireGrant(project, 'node1')).keyVersion).toBe(1)
    await alice.ledger.revokeGrant(project, 'node1')
    await eventually(
      () =>
        authorizer.requireGrant(project, 'node1').then(
          () => false,
          (err: { code?: string }) => err.code === 'no-grant',
        ),
      5_000,
    )
  })
})
