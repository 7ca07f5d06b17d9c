/**
 * What the dashboard shows of one project, computed from its timeline entries (oldest
 * first) alone: node states, grant and revocation history, jobs with their proof checks,
 * access counts over time. Pure functions, so each is tested on hand-made entries.
 * @module
 */

import { jobKindOfId } from '../../../protocol/job-kinds/index.ts'
import type { RegisteredIdentity, TimelineEntry } from '../../../protocol/ledger/index.ts'
import type { TrailCheck } from '../../sdk/index.ts'
import type {
  AccessSeries,
  GrantChange,
  JobSummary,
  NodeStatus,
  ProofStatus,
} from '../api-types.ts'

type Args = Record<string, string>
const args = (entry: TimelineEntry) => entry.args as Args

const nameOf = (names: Map<string, string>, id: string) =>
  names.get(id) ?? names.get(id.toLowerCase()) ?? id

/** Measurements on the project's allowlist now. */
export function allowedMeasurements(entries: readonly TimelineEntry[]): string[] {
  const allowed = new Set<string>()
  for (const entry of entries) {
    if (entry.kind === 'ProjectMeasurementAllowed') allowed.add(args(entry).measurement!)
    if (entry.kind === 'ProjectMeasurementDisallowed') allowed.delete(args(entry).measurement!)
  }
  return [...allowed]
}

/**
 * Every registered node's standing in the project: `authorized` (a live grant of the
 * current key), `stale-key` (a live grant of an older version), `revoked`, or
 * `not-authorized` (never granted: not released a key, e.g. for its measurement).
 */
export function nodeStatuses(
  entries: readonly TimelineEntry[],
  identities: readonly RegisteredIdentity[],
  keyVersion: number,
): NodeStatus[] {
  const allowed = new Set(allowedMeasurements(entries))
  const last = new Map<string, TimelineEntry>()
  for (const entry of entries)
    if (entry.kind === 'ProjectKeyGranted' || entry.kind === 'ProjectKeyRevoked')
      last.set(args(entry).grantee!, entry)
  return identities
    .filter(i => i.kind === 'node')
    .map(node => {
      const entry = last.get(node.identityId)
      const base = { name: node.name, peerId: node.peerId }
      if (!entry) return { ...base, state: 'not-authorized' as const }
      const a = args(entry)
      if (entry.kind === 'ProjectKeyRevoked')
        return { ...base, state: 'revoked' as const, keyVersion: Number(a.keyVersion) }
      return {
        ...base,
        state:
          Number(a.keyVersion) === keyVersion ? ('authorized' as const) : ('stale-key' as const),
        keyVersion: Number(a.keyVersion),
        measurement: a.measurement!,
        measurementAllowed: allowed.has(a.measurement!),
      }
    })
}

/** Grants, revocations, role changes and key rotations, oldest first. */
export function grantHistory(
  entries: readonly TimelineEntry[],
  names: Map<string, string>,
): GrantChange[] {
  const out: GrantChange[] = []
  for (const entry of entries) {
    const a = args(entry)
    const at = {
      timestamp: entry.timestamp,
      block: entry.blockNumber,
      transactionHash: entry.transactionHash,
    }
    const by = a.sender ? ` by ${nameOf(names, a.sender)}` : ''
    if (entry.kind === 'ProjectKeyGranted')
      out.push({
        ...at,
        change: 'key granted',
        subject: nameOf(names, a.grantee!),
        detail: `key version ${a.keyVersion}${BigInt(a.measurement!) === 0n ? '' : `, measurement ${a.measurement!.slice(0, 10)}…`}${by}`,
      })
    else if (entry.kind === 'ProjectKeyRevoked')
      out.push({
        ...at,
        change: 'key revoked',
        subject: nameOf(names, a.grantee!),
        detail: `held key version ${a.keyVersion}${by}`,
      })
    else if (entry.kind === 'ProjectRoleGranted' || entry.kind === 'ProjectRoleRevoked')
      out.push({
        ...at,
        change: entry.kind === 'ProjectRoleGranted' ? 'role granted' : 'role revoked',
        subject: nameOf(names, a.account!),
        detail: `${nameOf(names, a.role!)}${by}`,
      })
    else if (entry.kind === 'ProjectKeyRotated')
      out.push({
        ...at,
        change: 'key rotated',
        subject: 'project key',
        detail: `now version ${a.keyVersion}${by}`,
      })
  }
  return out
}

/**
 * Every job of the project with its history and proof status; `checks` are the trail's
 * re-checks of completed jobs (verifyProjectTrail), matched by job id.
 */
export function jobSummaries(
  entries: readonly TimelineEntry[],
  names: Map<string, string>,
  checks: readonly TrailCheck[],
): JobSummary[] {
  const jobs = new Map<string, JobSummary>()
  for (const entry of entries) {
    const a = args(entry)
    if (entry.kind === 'JobSubmitted') {
      jobs.set(a.jobId!, {
        jobId: a.jobId!,
        kind: jobKindOfId(a.kind!)?.name ?? a.kind!,
        submitter: nameOf(names, a.submitter!),
        submittedAt: entry.timestamp,
        status: 'submitted',
        failures: [],
        proof: { state: 'not completed', detail: 'no result yet' },
      })
      continue
    }
    const job = jobs.get(a.jobId ?? '')
    if (!job) continue
    if (entry.kind === 'JobAssigned') {
      job.status = 'assigned'
      job.node = nameOf(names, a.nodeId!)
    } else if (entry.kind === 'JobFailed') {
      job.status = 'submitted'
      job.failures.push({
        node: nameOf(names, a.nodeId!),
        reason: a.reason!,
        timestamp: entry.timestamp,
      })
    } else if (entry.kind === 'JobCancelled') {
      job.status = 'cancelled'
      job.cancelled = a.reason!
      job.proof = { state: 'not completed', detail: `cancelled by its submitter: ${a.reason}` }
    } else if (entry.kind === 'JobCompleted') {
      job.status = 'completed'
      job.node = nameOf(names, a.nodeId!)
      job.resultHash = a.resultHash!
      job.completedAt = entry.timestamp
      const check = checks.find(c => c.subject === 'job' && c.id === job.jobId)
      job.proof = !check
        ? { state: 'failed', detail: 'not re-checked' }
        : job.kind === 'sum' && check.ok
          ? { state: 'no proof', detail: check.detail }
          : check.attested && check.ok
            ? { state: 'attested', detail: check.detail }
            : ({
                state: check.ok ? 'verified' : 'failed',
                detail: check.detail,
              } satisfies ProofStatus)
    }
  }
  return [...jobs.values()]
}

/** Bucket widths to choose from: the smallest that keeps the chart at most 60 bars wide. */
const BUCKETS = [10, 60, 600, 3600, 6 * 3600, 86_400, 7 * 86_400]
const ACTION_NAMES = ['read', 'write', 'delete'] as const

/**
 * Access records per time bucket and action, from the access batches nodes recorded;
 * `checks` say which batches' Merkle roots match their records.
 */
export function accessSeries(
  entries: readonly TimelineEntry[],
  checks: readonly TrailCheck[],
): AccessSeries {
  const records: Array<{ at: number; action: number }> = []
  const batches = entries.filter(e => e.kind === 'ProjectAccessBatchRecorded')
  for (const batch of batches)
    for (const r of batch.args.records as Args[])
      records.push({ at: Number(r.at), action: Number(r.action) })
  const verified = checks.filter(c => c.subject === 'access-batch' && c.ok).length
  if (records.length === 0)
    return { bucketSeconds: BUCKETS[0]!, buckets: [], batches: 0, batchesVerified: 0 }
  const first = Math.min(...records.map(r => r.at))
  const span = Math.max(...records.map(r => r.at)) - first + 1
  const bucketSeconds = BUCKETS.find(b => span / b <= 60) ?? BUCKETS.at(-1)!
  const start = first - (first % bucketSeconds)
  const buckets = Array.from(
    { length: Math.ceil((span + (first - start)) / bucketSeconds) },
    (_, i) => ({
      start: start + i * bucketSeconds,
      read: 0,
      write: 0,
      delete: 0,
    }),
  )
  for (const r of records) {
    const action = ACTION_NAMES[r.action]
    if (action) buckets[Math.floor((r.at - start) / bucketSeconds)]![action]++
  }
  return { bucketSeconds, buckets, batches: batches.length, batchesVerified: verified }
}
