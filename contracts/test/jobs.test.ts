import { id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { identityIdOf, ownWallet } from '../../protocol/ledger/index.ts'
import {
  ACCEPTED_PROOF,
  type Fixture,
  refusedWith,
  startFixture,
} from '../../test/ledger-fixture.ts'

const STATS = id('stats')
const SPEC = id('spec: count, sum, sum of squares')
const COMMITMENT = id('poseidon root of the dataset')
const RESULT = id('sealed result')

describe('SealnetJobs', () => {
  let f: Fixture
  let project: string
  let n = 0
  const newJobId = () => id(`job-${n++}`)
  beforeAll(async () => {
    f = await startFixture()
    const { alice, carol, node1, node2 } = f.accounts
    await alice.ledger.registerIdentity('user', alice.record)
    await node1.ledger.registerIdentity('node', node1.record, 'peer-1')
    await node2.ledger.registerIdentity('node', node2.record, 'peer-2')
    project = await alice.ledger.createProject('jobs', 0)
    await alice.ledger.grantRole(project, 'member', carol.address)
    await alice.ledger.allowMeasurement(project, id('m'))
    await alice.ledger.recordGrant(project, 'node1', 1, 'ab'.repeat(32), id('m'))
    await alice.ledger.recordGrant(project, 'node2', 1, 'cd'.repeat(32), id('m'))
  })
  afterAll(() => f.chain.close())

  async function submitted(): Promise<string> {
    const jobId = newJobId()
    await f.accounts.carol.ledger.submitJob(jobId, project, STATS, SPEC, COMMITMENT)
    return jobId
  }

  it('runs submitted → assigned → completed with a proof the verifier accepts', async () => {
    const { carol, node1 } = f.accounts
    const jobId = await submitted()
    await node1.ledger.assignJob(jobId, 'node1')
    await node1.ledger.completeJob(jobId, RESULT, ACCEPTED_PROOF, [1n, 2n])
    const job = await carol.ledger.jobs.job!(jobId)
    expect([Number(job.status), job.resultHash, job.nodeId]).toEqual([3, RESULT, id('node1')])
  })

  it('refuses a submission by a non-member, naming MEMBER, and a reused job id', async () => {
    const { dave, carol } = f.accounts
    await refusedWith(
      dave.ledger.submitJob(newJobId(), project, STATS, SPEC, COMMITMENT),
      'ProjectsMissingRole',
    )
    const jobId = await submitted()
    await refusedWith(
      carol.ledger.submitJob(jobId, project, STATS, SPEC, COMMITMENT),
      'JobsAlreadyExists',
    )
  })

  it('refuses assignment to a node without a grant or by an account that does not control it', async () => {
    const { carol, node1 } = f.accounts
    const jobId = await submitted()
    await refusedWith(carol.ledger.assignJob(jobId, 'node1'), 'JobsNodeNotAuthorized')
    await f.accounts.alice.ledger.revokeGrant(project, 'node2')
    await refusedWith(f.accounts.node2.ledger.assignJob(jobId, 'node2'), 'JobsNodeNotAuthorized')
    await f.accounts.alice.ledger.recordGrant(project, 'node2', 1, 'cd'.repeat(32), id('m'))
    await node1.ledger.assignJob(jobId, 'node1')
    await refusedWith(node1.ledger.assignJob(jobId, 'node1'), 'JobsWrongStatus')
  })

  it('refuses any call on an unknown job with JobsUnknown', async () => {
    const { carol, node1 } = f.accounts
    await refusedWith(node1.ledger.assignJob(id('never submitted'), 'node1'), 'JobsUnknown')
    await refusedWith(carol.ledger.failJob(id('never submitted'), 'x'), 'JobsUnknown')
  })

  it('refuses a forged proof with JobsInvalidProof and keeps the job assigned', async () => {
    const { carol, node1 } = f.accounts
    const jobId = await submitted()
    await node1.ledger.assignJob(jobId, 'node1')
    await refusedWith(node1.ledger.completeJob(jobId, RESULT, '0xf00d', [1n]), 'JobsInvalidProof')
    expect(Number((await carol.ledger.jobs.job!(jobId)).status)).toBe(2)
  })

  it('lets only the assigned node complete', async () => {
    const { node1, node2 } = f.accounts
    const jobId = await submitted()
    await node1.ledger.assignJob(jobId, 'node1')
    await refusedWith(
      node2.ledger.completeJob(jobId, RESULT, ACCEPTED_PROOF, []),
      'JobsNodeNotAuthorized',
    )
  })

  it('refuses completion by a node whose grant was revoked after it claimed the job, with JobsNodeRevoked', async () => {
    const { alice, node3 } = f.accounts
    await node3.ledger.registerIdentity('node', node3.record, 'peer-3')
    await alice.ledger.recordGrant(project, 'node3', 1, 'ef'.repeat(32), id('m'))
    const jobId = await submitted()
    await node3.ledger.assignJob(jobId, 'node3')
    await alice.ledger.revokeGrant(project, 'node3')
    const args = await refusedWith(
      node3.ledger.completeJob(jobId, RESULT, ACCEPTED_PROOF, []),
      'JobsNodeRevoked',
    )
    expect(args).toEqual([jobId, identityIdOf('node3')])
    expect((await alice.ledger.job(jobId))!.status).toBe('assigned')
  })

  it('records a failure and lets another node retry the job', async () => {
    const { carol, node1, node2, dave } = f.accounts
    const jobId = await submitted()
    await node1.ledger.assignJob(jobId, 'node1')
    await refusedWith(dave.ledger.failJob(jobId, 'timeout'), 'JobsNotAllowedToFail')
    await carol.ledger.failJob(jobId, 'no result within the deadline')
    await node2.ledger.assignJob(jobId, 'node2')
    await node2.ledger.completeJob(jobId, RESULT, ACCEPTED_PROOF, [])
    const failures = await carol.ledger.jobs.queryFilter(
      carol.ledger.jobs.filters.JobFailed!(jobId),
    )
    expect(failures).toHaveLength(1)
  })

  it('lets only the submitter cancel a submitted or assigned job; a cancelled job is final', async () => {
    const { carol, dave, node1, node2 } = f.accounts
    const waiting = await submitted()
    await refusedWith(dave.ledger.cancelJob(waiting, 'not mine'), 'JobsNotSubmitter')
    await refusedWith(node1.ledger.cancelJob(waiting, 'a node'), 'JobsNotSubmitter')
    await carol.ledger.cancelJob(waiting, 'no longer wanted')
    expect((await carol.ledger.job(waiting))!.status).toBe('cancelled')
    await refusedWith(node1.ledger.assignJob(waiting, 'node1'), 'JobsWrongStatus')
    await refusedWith(carol.ledger.cancelJob(waiting, 'again'), 'JobsWrongStatus')

    // withdrawn while a node holds it: the node can neither complete nor hand it back
    const running = await submitted()
    await node1.ledger.assignJob(running, 'node1')
    await carol.ledger.cancelJob(running, 'DatasetShapeError: a linear job needs records')
    await refusedWith(
      node1.ledger.completeJob(running, RESULT, ACCEPTED_PROOF, []),
      'JobsWrongStatus',
    )
    await refusedWith(node1.ledger.failJob(running, 'late'), 'JobsWrongStatus')
    await refusedWith(node2.ledger.assignJob(running, 'node2'), 'JobsWrongStatus')
    const [cancelled] = await carol.ledger.jobs.queryFilter(
      carol.ledger.jobs.filters.JobCancelled!(running),
    )
    const { reason, submitter } = (
      cancelled as unknown as { args: { reason: string; submitter: string } }
    ).args
    expect([reason, submitter]).toEqual([
      'DatasetShapeError: a linear job needs records',
      carol.address,
    ])
    // and completed jobs can't be cancelled
    const done = await submitted()
    await node1.ledger.assignJob(done, 'node1')
    await node1.ledger.completeJob(done, RESULT, ACCEPTED_PROOF, [])
    await refusedWith(carol.ledger.cancelJob(done, 'too late'), 'JobsWrongStatus')
  })

  it('lets a node claim several jobs at once: its transactions never race for a nonce', async () => {
    const { alice, carol, dave } = f.accounts
    // a node signs locally with its own key, as in production (the dev signers let the chain pick nonces)
    const node = alice.ledger.as(await ownWallet(f.chain, dave.key.privateKey, { fund: true }))
    await node.registerIdentity('node', dave.record, 'peer-d')
    await alice.ledger.recordGrant(project, 'dave', 1, 'ef'.repeat(32), id('m'))
    const jobIds = [await submitted(), await submitted(), await submitted(), await submitted()]
    await Promise.all(jobIds.map(jobId => node.assignJob(jobId, 'dave')))
    for (const jobId of jobIds) expect((await carol.ledger.job(jobId))!.status).toBe('assigned')
  })

  it('tells a watcher which jobs were handed back, completed or cancelled since a block, in one query', async () => {
    const { carol, node1 } = f.accounts
    const from = (await carol.ledger.jobsSettledSince(Number.MAX_SAFE_INTEGER)).toBlock + 1
    const [failed, completed, cancelled, untouched] = [
      await submitted(),
      await submitted(),
      await submitted(),
      await submitted(),
    ]
    await node1.ledger.assignJob(failed, 'node1')
    await carol.ledger.failJob(failed, 'taken back')
    await node1.ledger.assignJob(completed, 'node1')
    await node1.ledger.completeJob(completed, RESULT, ACCEPTED_PROOF, [])
    await carol.ledger.cancelJob(cancelled, 'withdrawn')
    await node1.ledger.assignJob(untouched, 'node1')
    const settled = await carol.ledger.jobsSettledSince(from)
    expect([...settled.jobIds].sort()).toEqual([failed, completed, cancelled].sort())
    // nothing after the last block read, and a start past the latest reads nothing
    expect((await carol.ledger.jobsSettledSince(settled.toBlock + 1)).jobIds.size).toBe(0)
  })

  it('refuses completion with JobsVerifierUnset when no verifier is deployed', async () => {
    const bare = await startFixture({ verifier: false })
    try {
      const { alice, node1 } = bare.accounts
      await alice.ledger.registerIdentity('user', alice.record)
      await node1.ledger.registerIdentity('node', node1.record, 'peer-1')
      const p = await alice.ledger.createProject('bare', 0)
      await alice.ledger.allowMeasurement(p, id('m'))
      await alice.ledger.recordGrant(p, 'node1', 1, 'ab'.repeat(32), id('m'))
      await alice.ledger.submitJob(id('j'), p, STATS, SPEC, COMMITMENT)
      await node1.ledger.assignJob(id('j'), 'node1')
      await refusedWith(
        node1.ledger.completeJob(id('j'), RESULT, ACCEPTED_PROOF, []),
        'JobsVerifierUnset',
      )
    } finally {
      await bare.chain.close()
    }
  })
})
