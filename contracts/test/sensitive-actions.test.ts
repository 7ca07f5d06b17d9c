import { id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Account,
  decoded,
  type Fixture,
  refusedWith,
  startFixture,
} from '../../test/ledger-fixture.ts'

const DELETE_DATA = id('DELETE_DATA')
const DATASET = id('customers.csv')

describe('SealnetSensitiveActions', () => {
  let f: Fixture
  let project: string
  let approvers: Account[]
  beforeAll(async () => {
    f = await startFixture()
    const { alice, bob, carol, dave, node1 } = f.accounts
    project = await alice.ledger.createProject('gdpr', 0)
    approvers = [bob, carol, dave, node1]
    // 3 of 4
    await alice.ledger.setApprovers(
      project,
      approvers.map(a => a.address),
      3,
    )
  })
  afterAll(() => f.chain.close())

  const approve = (actionId: string, who: Account[]) =>
    Promise.all(
      who.map(async a => ({
        approver: a.address,
        signature: await f.accounts.alice.ledger.signApproval(a.signer, actionId),
      })),
    )

  it('tells who the approvers are and how many an action needs', async () => {
    expect(await f.accounts.bob.ledger.approversOf(project)).toEqual({
      approvers: approvers.map(a => a.address),
      threshold: 3,
    })
    expect(await f.accounts.bob.ledger.approversOf(id('no such project'))).toEqual({
      approvers: [],
      threshold: 0,
    })
  })

  it('executes with k of n EIP-712 approvals, once', async () => {
    const { alice } = f.accounts
    const actionId = await alice.ledger.proposeAction(project, DELETE_DATA, DATASET)
    const approvals = await approve(actionId, approvers.slice(0, 3))
    await refusedWith(
      alice.ledger.executeAction(actionId, approvals.slice(0, 2)),
      'ActionsBelowThreshold',
    )
    await alice.ledger.executeAction(actionId, approvals)
    expect((await alice.ledger.actions.action!(actionId)).executed).toBe(true)
    // replaying the same approvals
    await refusedWith(alice.ledger.executeAction(actionId, approvals), 'ActionsAlreadyExecuted')
  })

  it('refuses a signature by someone who is not an approver', async () => {
    const { alice, node2 } = f.accounts
    const actionId = await alice.ledger.proposeAction(project, DELETE_DATA, DATASET)
    const approvals = [
      ...(await approve(actionId, approvers.slice(0, 2))),
      ...(await approve(actionId, [node2])),
    ]
    const args = await refusedWith(
      alice.ledger.executeAction(actionId, approvals),
      'ActionsNotApprover',
    )
    expect(args[1]).toBe(node2.address)
  })

  it('refuses approvals signed for another action (a replayed signature)', async () => {
    const { alice } = f.accounts
    const first = await alice.ledger.proposeAction(project, DELETE_DATA, DATASET)
    const second = await alice.ledger.proposeAction(project, DELETE_DATA, DATASET)
    const forFirst = await approve(first, approvers.slice(0, 3))
    await refusedWith(alice.ledger.executeAction(second, forFirst), 'ActionsNotApprover')
  })

  it('refuses the same approver counted twice', async () => {
    const { alice } = f.accounts
    const actionId = await alice.ledger.proposeAction(project, DELETE_DATA, DATASET)
    const [one, two] = await approve(actionId, approvers.slice(0, 2))
    await refusedWith(
      decoded(
        alice.ledger.actions.execute!(actionId, [one!.signature, one!.signature, two!.signature]),
      ),
      'ActionsUnsortedSigners',
    )
  })

  it('refuses an unknown action with ActionsUnknown', async () => {
    await refusedWith(
      f.accounts.alice.ledger.executeAction(id('no such action'), []),
      'ActionsUnknown',
    )
  })

  it('lets only admins propose and only owners set approvers, with valid thresholds', async () => {
    const { alice, carol } = f.accounts
    await refusedWith(
      carol.ledger.proposeAction(project, DELETE_DATA, DATASET),
      'ProjectsMissingRole',
    )
    await refusedWith(carol.ledger.setApprovers(project, [carol.address], 1), 'ProjectsMissingRole')
    await refusedWith(
      alice.ledger.setApprovers(project, [carol.address], 2),
      'ActionsInvalidApprovers',
    )
    await refusedWith(
      alice.ledger.setApprovers(project, [carol.address, carol.address], 1),
      'ActionsInvalidApprovers',
    )
  })
})
