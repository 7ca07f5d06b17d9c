import { id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ACTION_KINDS,
  approversChangeTarget,
  retentionCutTarget,
} from '../../protocol/ledger/index.ts'
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

  /** Moves the chain's clock on by `seconds`. */
  const passes = async (seconds: number) => {
    await f.chain.provider.send('evm_increaseTime', [seconds])
    await f.chain.provider.send('evm_mine', [])
  }
  const DAY = 86_400

  it('refuses approvals once the action expired (7 days), and a cancelled action', async () => {
    const { alice, bob } = f.accounts
    const stale = await alice.ledger.proposeAction(project, DELETE_DATA, DATASET)
    const approvals = await approve(stale, approvers.slice(0, 3))
    const { expiresAt } = (await alice.ledger.action(stale))!
    await passes(7 * DAY + 1)
    expect(
      await refusedWith(alice.ledger.executeAction(stale, approvals), 'ActionsExpired'),
    ).toEqual([stale, BigInt(expiresAt)])
    // a proposal withdrawn: by its proposer or an owner, not by anyone else
    const withdrawn = await alice.ledger.proposeAction(project, DELETE_DATA, DATASET)
    await refusedWith(bob.ledger.cancelAction(withdrawn), 'ActionsNotCancellable')
    await alice.ledger.cancelAction(withdrawn)
    expect((await alice.ledger.action(withdrawn))!.cancelled).toBe(true)
    await refusedWith(
      alice.ledger.executeAction(withdrawn, await approve(withdrawn, approvers.slice(0, 3))),
      'ActionsCancelled',
    )
  })

  it('keeps an owner from replacing the approvers alone: a new set needs k of n approvals and a day', async () => {
    const { alice } = f.accounts
    const self = [alice.address]
    // the attack: the owner makes himself the only approver
    const args = await refusedWith(
      alice.ledger.setApprovers(project, self, 1),
      'ActionsChangeNotApproved',
    )
    expect(args).toEqual([project, ACTION_KINDS.changeApprovers, approversChangeTarget(self, 1)])
    // the current approvers approve a new set; it takes effect a day after execution, once
    const next = approvers.slice(0, 3).map(a => a.address)
    const change = await alice.ledger.proposeAction(
      project,
      ACTION_KINDS.changeApprovers,
      approversChangeTarget(next, 2),
    )
    await alice.ledger.executeAction(change, await approve(change, approvers.slice(0, 3)))
    await refusedWith(alice.ledger.setApprovers(project, next, 2), 'ActionsChangeNotReady')
    await refusedWith(alice.ledger.setApprovers(project, self, 1), 'ActionsChangeNotApproved')
    await passes(DAY)
    await alice.ledger.setApprovers(project, next, 2)
    expect(await alice.ledger.approversOf(project)).toEqual({ approvers: next, threshold: 2 })
    await refusedWith(alice.ledger.setApprovers(project, next, 2), 'ActionsChangeNotApproved')
    approvers = approvers.slice(0, 3)
  })

  it('keeps an owner from cutting retention alone on a project with approvers (nodes would sweep everything)', async () => {
    const { alice } = f.accounts
    // a project without approvers: the owner sets retention as before
    const free = await alice.ledger.createProject('no approvers', 0)
    await alice.ledger.setRetention(free, 1)
    expect(await alice.ledger.retention(free)).toBe(1)
    // with approvers: raising or removing the limit is free; a cut needs approvals and a day
    await refusedWith(alice.ledger.setRetention(project, 1), 'ActionsChangeNotApproved')
    const cut = await alice.ledger.proposeAction(
      project,
      ACTION_KINDS.cutRetention,
      retentionCutTarget(30 * DAY),
    )
    await alice.ledger.executeAction(cut, await approve(cut, approvers.slice(0, 2)))
    await refusedWith(alice.ledger.setRetention(project, 30 * DAY), 'ActionsChangeNotReady')
    await refusedWith(alice.ledger.setRetention(project, 1), 'ActionsChangeNotApproved')
    await passes(DAY)
    await alice.ledger.setRetention(project, 30 * DAY)
    expect(await alice.ledger.retention(project)).toBe(30 * DAY)
    await alice.ledger.setRetention(project, 60 * DAY)
    await refusedWith(alice.ledger.setRetention(project, 30 * DAY), 'ActionsChangeNotApproved')
    await alice.ledger.setRetention(project, 0)
    // only the deployment links the actions contract, once
    await refusedWith(
      decoded(alice.ledger.projects.getFunction('linkSensitiveActions')(alice.address)),
      'ProjectsNotDeployer',
    )
  })
})
