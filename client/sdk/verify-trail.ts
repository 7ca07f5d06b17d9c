/**
 * `sealnet audit verify`: re-checks a project's on-chain trail from the chain alone (no
 * key, no password): every completed job's proofs verified again off chain by its proof system, its
 * result hash recomputed from what the proofs state, its input the root of a dataset the
 * project committed; every access batch's Merkle root recomputed from its records; every
 * executed erasure followed by deletions the nodes recorded.
 * @module
 */

import { toBeHex } from 'ethers'
import {
  attestedInputCommitment,
  jobKindOfId,
  modelHashWord,
} from '../../protocol/job-kinds/index.ts'
import {
  ACCESS_ACTIONS,
  ACTION_KINDS,
  accessBatchRoot,
  type Ledger,
  projectTimeline,
  type TimelineEntry,
} from '../../protocol/ledger/index.ts'
import {
  type ChunkProof,
  datasetRoot,
  decodeJobProofs,
  linearOf,
  linearResultHash,
  statsOf,
  statsResultHash,
  verifyProof,
} from '../../protocol/proof/index.ts'

export interface TrailCheck {
  subject: 'job' | 'access-batch' | 'erasure'
  /** Job id, or the batch's transaction hash. */
  id: string
  block: number
  ok: boolean
  detail: string
  /** Set for a job of an attested kind: its result is vouched for by a node, not proven. */
  attested?: true
}

export interface TrailReport {
  projectId: string
  checks: TrailCheck[]
  passed: number
  failed: number
}

const ALL = { limit: 1_000_000 }

async function verifyJob(
  ledger: Ledger,
  entry: TimelineEntry,
  committedRoots: Set<string>,
): Promise<TrailCheck> {
  const jobId = entry.args.jobId as string
  const check = (ok: boolean, detail: string): TrailCheck => ({
    subject: 'job',
    id: jobId,
    block: entry.blockNumber,
    ok,
    detail,
  })
  const fail = (detail: string) => check(false, detail)
  const job = await ledger.job(jobId)
  const tx = await ledger.jobs.runner!.provider!.getTransaction(entry.transactionHash)
  if (!job || !tx) return fail('job or its completing transaction is missing from the chain')
  /** Why the proven chunks' root is not an input this job may have, or undefined. */
  const rootProblem = (root: string) =>
    root !== job.inputCommitment
      ? 'the proven chunks are not the dataset the job named'
      : committedRoots.has(root)
        ? undefined
        : 'the job ran on a dataset this project never committed'
  const call = ledger.jobs.interface.parseTransaction(tx)
  if (call?.name !== 'completeJob')
    return fail('the completing transaction is not a completeJob call')
  const jobKind = jobKindOfId(job.kind)
  if (!jobKind) return fail(`unknown job kind ${job.kind}`)
  if (jobKind.check.by === 're-execution')
    // no proof to check: the job is deterministic, and only a reader of its data can redo it
    return check(true, `${jobKind.name}: recorded without a proof (${jobKind.check.how})`)
  if (jobKind.check.by === 'attestation') {
    const [root, model] = (call.args[3] as bigint[]).map(v => toBeHex(v, 32))
    const sha256 = model === modelHashWord() ? undefined : model?.slice(2)
    if (!root || !model || attestedInputCommitment(root, sha256) !== job.inputCommitment)
      return fail('the completion names another dataset or model than the job was submitted with')
    if (!committedRoots.has(root))
      return fail('the job ran on a dataset this project never committed')
    return {
      ...check(
        true,
        `${jobKind.name}: ATTESTED, NOT PROVEN: the node vouches for the result (${jobKind.check.how}); dataset root ${root.slice(0, 12)}…${sha256 ? `, model SHA-256 ${sha256.slice(0, 12)}…` : ''}`,
      ),
      attested: true,
    }
  }
  const kind = jobKind.check.circuit
  const proofs: ChunkProof[] = []
  for (const candidates of decodeJobProofs(kind, call.args[2] as string)) {
    let valid: ChunkProof | undefined
    for (const candidate of candidates) if (await verifyProof(candidate)) valid = candidate
    if (!valid) return fail(`chunk proof ${proofs.length} does not verify`)
    proofs.push(valid)
  }
  if (kind === 'stats') {
    const problem = rootProblem(datasetRoot(proofs.map(p => statsOf(p).commitment)))
    if (problem) return fail(problem)
    if (statsResultHash(proofs) !== job.resultHash)
      return fail('result hash differs from what the proofs state')
    return check(
      true,
      `stats over ${proofs.length} chunk(s), ${proofs.reduce((n, p) => n + statsOf(p).length, 0)} values; proofs valid (the result is committed, readable by its submitter only)`,
    )
  }
  const parts = proofs.map(linearOf)
  const model = parts[0]!.modelCommitment
  if (parts.some(p => p.modelCommitment !== model))
    return fail('chunks were proven with different models')
  const problem = rootProblem(datasetRoot(parts.map(p => p.dataCommitment)))
  if (problem) return fail(problem)
  if (linearResultHash(proofs) !== job.resultHash)
    return fail('result hash differs from what the proofs state')
  return check(
    true,
    `${kind} over ${proofs.length} chunk(s), ${parts.reduce((n, p) => n + p.length, 0)} outputs; proofs valid (the outputs are committed, readable by their submitter only)`,
  )
}

function verifyAccessBatch(entry: TimelineEntry): TrailCheck {
  const records = (entry.args.records as Array<Record<string, string>>).map(r => ({
    objectId: r.objectId!,
    accessor: r.accessor!,
    action: Number(r.action),
    at: BigInt(r.at!),
  }))
  const ok = records.length > 0 && accessBatchRoot(records) === entry.args.root
  return {
    subject: 'access-batch',
    id: entry.transactionHash,
    block: entry.blockNumber,
    ok,
    detail: ok
      ? `${records.length} access record(s), Merkle root matches`
      : 'Merkle root does not match the records',
  }
}

/**
 * An executed erasure is carried out by deletions the nodes record afterwards: the check
 * fails while no node has recorded one since (the executor stopped before deleting, or
 * the nodes have not flushed yet). An auditor can't tell which shards were the dataset's
 * (only key holders can), so this shows the sequence happened, not that it was complete.
 */
function verifyErasure(entry: TimelineEntry, timeline: readonly TimelineEntry[]): TrailCheck {
  const actionId = entry.args.actionId as string
  const approvals = timeline.filter(
    e => e.kind === 'ActionApproved' && e.args.actionId === actionId,
  ).length
  const deletions = timeline
    .filter(e => e.kind === 'ProjectAccessBatchRecorded' && e.blockNumber >= entry.blockNumber)
    .flatMap(e => e.args.records as Array<Record<string, string>>)
    .filter(r => Number(r.action) === ACCESS_ACTIONS.delete).length
  return {
    subject: 'erasure',
    id: actionId,
    block: entry.blockNumber,
    ok: deletions > 0,
    detail:
      deletions > 0
        ? `dataset ${(entry.args.target as string).slice(0, 12)}… erased with ${approvals} approval(s); ${deletions} deletion(s) recorded by nodes since`
        : `erasure executed with ${approvals} approval(s), but no node has recorded a deletion since`,
  }
}

/**
 * Re-checks every completed job and access batch of a project, and that each executed
 * erasure was followed by recorded deletions. Events never change once
 * mined, so a caller that re-checks often (the dashboard) passes `known`: passed checks
 * are kept there by event and not repeated (a failed one is re-run: its cause may be a
 * dataset committed later).
 */
export async function verifyProjectTrail(
  ledger: Ledger,
  projectId: string,
  options: {
    known?: Map<string, TrailCheck>
    /** The project's whole timeline, when the caller has read it already: not read again. */
    timeline?: readonly TimelineEntry[]
  } = {},
): Promise<TrailReport> {
  const timeline =
    options.timeline ??
    (
      await projectTimeline(ledger, projectId, {
        ...ALL,
        kinds: [
          'ProjectDatasetCommitted',
          'JobCompleted',
          'ProjectAccessBatchRecorded',
          'ActionApproved',
          'ActionExecuted',
        ],
      })
    ).entries
  const committedRoots = new Set(
    timeline.filter(e => e.kind === 'ProjectDatasetCommitted').map(e => e.args.root as string),
  )
  const checks: TrailCheck[] = []
  const known = options.known ?? new Map<string, TrailCheck>()
  for (const entry of timeline) {
    if (entry.kind === 'ActionExecuted' && entry.args.kind === ACTION_KINDS.eraseDataset) {
      checks.push(verifyErasure(entry, timeline))
      continue
    }
    if (entry.kind !== 'JobCompleted' && entry.kind !== 'ProjectAccessBatchRecorded') continue
    const key = `${entry.transactionHash}:${entry.logIndex}`
    let check = known.get(key)
    if (!check) {
      check =
        entry.kind === 'JobCompleted'
          ? await verifyJob(ledger, entry, committedRoots)
          : verifyAccessBatch(entry)
      if (check.ok) known.set(key, check)
    }
    checks.push(check)
  }
  const passed = checks.filter(c => c.ok).length
  return { projectId, checks, passed, failed: checks.length - passed }
}

/** The report as Markdown, for export. */
export function trailReportMarkdown(report: TrailReport, project: string): string {
  const rows = report.checks.map(
    c =>
      `| ${c.ok ? 'pass' : '**FAIL**'} | ${c.subject} | \`${c.id.slice(0, 18)}…\` | ${c.block} | ${c.detail} |`,
  )
  return [
    `# Audit of project ${project}`,
    '',
    `Project id \`${report.projectId}\`. ${report.passed} passed, ${report.failed} failed.`,
    '',
    '| result | what | id | block | detail |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n')
}
