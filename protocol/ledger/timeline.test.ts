import { id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACCEPTED_PROOF, type Fixture, startFixture } from '../../test/ledger-fixture.ts'
import { identityIdOf } from './ids.ts'
import { identityTimeline, jobTimeline, projectTimeline } from './timeline.ts'

describe('timeline', () => {
  let f: Fixture
  let project: string
  let midTime: number
  const jobId = id('job-1')
  beforeAll(async () => {
    f = await startFixture()
    const { alice, bob, node1, node2 } = f.accounts
    await alice.ledger.registerIdentity('user', alice.record)
    await bob.ledger.registerIdentity('user', bob.record)
    await node1.ledger.registerIdentity('node', node1.record, 'peer-1')
    await node2.ledger.registerIdentity('node', node2.record, 'peer-2')
    project = await alice.ledger.createProject('audited', 3600)
    await alice.ledger.grantRole(project, 'member', bob.address)
    await alice.ledger.allowMeasurement(project, id('m'))
    await alice.ledger.recordGrant(project, 'node1', 1, 'ab'.repeat(32), id('m'))
    // an hour passes: the time filter must split the log here
    await f.chain.provider.send('evm_increaseTime', [3600])
    await f.chain.provider.send('evm_mine', [])
    midTime = (await f.chain.provider.getBlock('latest'))!.timestamp
    await node1.ledger.recordAccessBatch(project, 'node1', [
      { objectId: id('o'), accessor: identityIdOf('bob'), action: 0, at: midTime },
    ])
    await bob.ledger.submitJob(jobId, project, id('stats'), id('spec'), id('commitment'))
    await node1.ledger.assignJob(jobId, 'node1')
    await node1.ledger.completeJob(jobId, id('result'), ACCEPTED_PROOF, [])
    await alice.ledger.createProject('unrelated', 0)
  })
  afterAll(() => f.chain.close())

  it('lists everything that happened to a project, in order, and nothing else', async () => {
    const { entries, total } = await projectTimeline(f.accounts.bob.ledger, project)
    expect(entries.map(e => e.kind)).toEqual([
      'ProjectCreated',
      'ProjectRoleGranted',
      'ProjectRoleGranted',
      'ProjectMeasurementAllowed',
      'ProjectKeyGranted',
      'ProjectAccessBatchRecorded',
      'JobSubmitted',
      'JobAssigned',
      'JobCompleted',
    ])
    expect(total).toBe(9)
    expect(entries[4]!.args).toMatchObject({
      grantee: identityIdOf('node1'),
      keyVersion: '1',
      measurement: id('m'),
    })
    expect((entries[5]!.args.records as unknown[])[0]).toMatchObject({
      accessor: identityIdOf('bob'),
      action: '0',
    })
  })

  it('filters by kind, by identity involved and by time, and pages', async () => {
    const ledger = f.accounts.bob.ledger
    expect(
      (await projectTimeline(ledger, project, { kinds: ['JobSubmitted', 'JobCompleted'] })).total,
    ).toBe(2)
    const byNode = await projectTimeline(ledger, project, { involving: 'node1' })
    expect(byNode.entries.map(e => e.kind)).toEqual([
      'ProjectKeyGranted',
      'ProjectAccessBatchRecorded',
      'JobAssigned',
      'JobCompleted',
    ])
    const byBobAccount = await projectTimeline(ledger, project, {
      involving: f.accounts.bob.address,
    })
    expect(byBobAccount.entries.map(e => e.kind)).toEqual(['ProjectRoleGranted', 'JobSubmitted'])
    // by name: his accesses (by identity id) and what names only his account
    expect(
      (await projectTimeline(ledger, project, { involving: 'bob' })).entries.map(e => e.kind),
    ).toEqual(['ProjectRoleGranted', 'ProjectAccessBatchRecorded', 'JobSubmitted'])
    expect((await projectTimeline(ledger, project, { fromTime: midTime })).entries[0]!.kind).toBe(
      'ProjectAccessBatchRecorded',
    )
    expect((await projectTimeline(ledger, project, { toTime: midTime - 1 })).total).toBe(5)
    const second = await projectTimeline(ledger, project, { offset: 2, limit: 3 })
    expect([second.entries.length, second.total, second.entries[0]!.kind]).toEqual([
      3,
      9,
      'ProjectRoleGranted',
    ])
  })

  it('gives the record of an identity and the life of a job', async () => {
    const ledger = f.accounts.bob.ledger
    expect((await identityTimeline(ledger, 'node1')).entries.map(e => e.kind)).toEqual([
      'IdentityRegistered',
      'ProjectKeyGranted',
      'ProjectAccessBatchRecorded',
      'JobAssigned',
      'JobCompleted',
    ])
    expect((await jobTimeline(ledger, jobId)).entries.map(e => e.kind)).toEqual([
      'JobSubmitted',
      'JobAssigned',
      'JobCompleted',
    ])
  })
})
