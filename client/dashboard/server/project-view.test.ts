import { id, ZeroHash } from 'ethers'
import { describe, expect, it } from 'vitest'
import { JOB_KINDS } from '../../../protocol/job-kinds/index.ts'
import {
  identityIdOf,
  namesOf,
  type RegisteredIdentity,
  ROLES,
  type TimelineEntry,
} from '../../../protocol/ledger/index.ts'
import {
  accessSeries,
  allowedMeasurements,
  grantHistory,
  jobSummaries,
  nodeStatuses,
} from './project-view.ts'

const ALICE = '0x00000000000000000000000000000000000000A1'
const identity = (name: string, kind: 'user' | 'node', controller = ZeroHash.slice(0, 42)) =>
  ({
    identityId: identityIdOf(name),
    name,
    kind,
    controller,
    peerId: kind === 'node' ? `peer-${name}` : '',
  }) satisfies RegisteredIdentity
const IDENTITIES = [
  identity('alice', 'user', ALICE),
  identity('node-1', 'node'),
  identity('node-2', 'node'),
  identity('node-3', 'node'),
  identity('node-4', 'node'),
]

let block = 0
function event(
  kind: string,
  args: Record<string, unknown>,
  timestamp = 1000 + block,
): TimelineEntry {
  block++
  return {
    kind,
    contract: kind.startsWith('Job') ? 'jobs' : 'projects',
    blockNumber: block,
    logIndex: 0,
    transactionHash: id(`tx ${block}`),
    timestamp,
    args,
  }
}

const M1 = id('build 1')
const M2 = id('build 2')
const grant = (who: string, keyVersion: number, measurement = ZeroHash) =>
  event('ProjectKeyGranted', {
    grantee: identityIdOf(who),
    keyVersion: String(keyVersion),
    measurement,
    sender: ALICE,
  })

describe('nodeStatuses', () => {
  it('tells authorized, old-key, revoked and never-authorized nodes apart', () => {
    const entries = [
      event('ProjectMeasurementAllowed', { measurement: M1 }),
      event('ProjectMeasurementAllowed', { measurement: M2 }),
      grant('node-1', 1, M1),
      grant('node-2', 1, M1),
      grant('node-3', 1, M1),
      event('ProjectKeyRevoked', { grantee: identityIdOf('node-3'), keyVersion: '1' }),
      event('ProjectKeyRotated', { keyVersion: '2' }),
      grant('node-1', 2, M2),
      event('ProjectMeasurementDisallowed', { measurement: M2 }),
    ]
    expect(allowedMeasurements(entries)).toEqual([M1])
    const states = nodeStatuses(entries, IDENTITIES, 2)
    expect(states.map(n => [n.name, n.state, n.keyVersion, n.measurementAllowed])).toEqual([
      ['node-1', 'authorized', 2, false],
      ['node-2', 'stale-key', 1, true],
      ['node-3', 'revoked', 1, undefined],
      ['node-4', 'not-authorized', undefined, undefined],
    ])
  })
})

describe('grantHistory', () => {
  it('names who was granted, revoked and rotated, and by whom', () => {
    const names = namesOf(IDENTITIES)
    const history = grantHistory(
      [
        event('ProjectCreated', { name: 'p', owner: ALICE }),
        event('ProjectRoleGranted', { role: ROLES.member, account: ALICE, sender: ALICE }),
        grant('node-1', 1, M1),
        event('ProjectKeyRevoked', {
          grantee: identityIdOf('node-1'),
          keyVersion: '1',
          sender: ALICE,
        }),
        event('ProjectKeyRotated', { keyVersion: '2', sender: ALICE }),
      ],
      names,
    )
    expect(history.map(h => [h.change, h.subject, h.detail])).toEqual([
      ['role granted', 'alice', 'member by alice'],
      ['key granted', 'node-1', `key version 1, measurement ${M1.slice(0, 10)}… by alice`],
      ['key revoked', 'node-1', 'held key version 1 by alice'],
      ['key rotated', 'project key', 'now version 2 by alice'],
    ])
  })
})

describe('jobSummaries', () => {
  it('follows each job through failures to completion, with its proof check', () => {
    const names = namesOf(IDENTITIES)
    const [j1, j2] = [id('job 1'), id('job 2')]
    const submitted = (jobId: string) =>
      event('JobSubmitted', { jobId, kind: JOB_KINDS.stats, submitter: ALICE })
    const jobs = jobSummaries(
      [
        submitted(j1),
        submitted(j2),
        event('JobAssigned', { jobId: j1, nodeId: identityIdOf('node-1') }),
        event('JobFailed', { jobId: j1, nodeId: identityIdOf('node-1'), reason: 'timeout' }),
        event('JobAssigned', { jobId: j1, nodeId: identityIdOf('node-2') }),
        event('JobCompleted', { jobId: j1, nodeId: identityIdOf('node-2'), resultHash: id('r') }),
        event('JobAssigned', { jobId: j2, nodeId: identityIdOf('node-3') }),
      ],
      names,
      [{ subject: 'job', id: j1, block: 6, ok: true, detail: 'stats over 2 chunk(s)' }],
    )
    expect(jobs).toMatchObject([
      {
        jobId: j1,
        kind: 'stats',
        submitter: 'alice',
        status: 'completed',
        node: 'node-2',
        failures: [{ node: 'node-1', reason: 'timeout' }],
        proof: { state: 'verified', detail: 'stats over 2 chunk(s)' },
      },
      { jobId: j2, status: 'assigned', node: 'node-3', proof: { state: 'not completed' } },
    ])
  })

  it('shows a job its submitter cancelled after a node refused it, with both reasons', () => {
    const j = id('job 4')
    const reason = 'DatasetShapeError: a linear job needs records'
    const [job] = jobSummaries(
      [
        event('JobSubmitted', { jobId: j, kind: JOB_KINDS.linear, submitter: ALICE }),
        event('JobAssigned', { jobId: j, nodeId: identityIdOf('node-1') }),
        event('JobFailed', { jobId: j, nodeId: identityIdOf('node-1'), reason }),
        event('JobCancelled', { jobId: j, submitter: ALICE, reason }),
      ],
      namesOf(IDENTITIES),
      [],
    )
    expect(job).toMatchObject({
      status: 'cancelled',
      cancelled: reason,
      failures: [{ node: 'node-1', reason }],
      proof: { state: 'not completed', detail: `cancelled by its submitter: ${reason}` },
    })
  })

  it('marks a completed job whose proofs fail the re-check', () => {
    const j = id('job 3')
    const [job] = jobSummaries(
      [
        event('JobSubmitted', { jobId: j, kind: JOB_KINDS.linear, submitter: ALICE }),
        event('JobCompleted', { jobId: j, nodeId: identityIdOf('node-1'), resultHash: id('r') }),
      ],
      new Map(),
      [{ subject: 'job', id: j, block: 2, ok: false, detail: 'chunk proof 0 does not verify' }],
    )
    expect(job!.proof).toEqual({ state: 'failed', detail: 'chunk proof 0 does not verify' })
  })
})

describe('accessSeries', () => {
  const batch = (records: Array<[at: number, action: number]>) =>
    event('ProjectAccessBatchRecorded', {
      records: records.map(([at, action]) => ({ at: String(at), action: String(action) })),
    })

  it('counts records per action in buckets no more than 60 wide', () => {
    const series = accessSeries(
      [
        batch([
          [1_000_003, 1],
          [1_000_004, 1],
        ]),
        batch([
          [1_000_015, 0],
          [1_000_019, 2],
        ]),
      ],
      [{ subject: 'access-batch', id: 'tx', block: 1, ok: true, detail: '' }],
    )
    expect(series.bucketSeconds).toBe(10)
    expect(series.buckets).toEqual([
      { start: 1_000_000, read: 0, write: 2, delete: 0 },
      { start: 1_000_010, read: 1, write: 0, delete: 1 },
    ])
    expect([series.batches, series.batchesVerified]).toEqual([2, 1])
  })

  it('widens buckets for a long span and is empty without batches', () => {
    const series = accessSeries(
      [
        batch([
          [0, 0],
          [30 * 86_400, 0],
        ]),
      ],
      [],
    )
    expect(series.bucketSeconds).toBe(86_400)
    expect(series.buckets).toHaveLength(31)
    expect(series.buckets.reduce((n, b) => n + b.read, 0)).toBe(2)
    expect(accessSeries([], [])).toMatchObject({ buckets: [], batches: 0 })
  })
})
