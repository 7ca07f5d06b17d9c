/**
 * Wait for a job's result as its submitter: follow the chain and the node, fail a silent or
 * stuck node's claim, cancel a job no node can run, then open and check what was delivered.
 * @module
 */
import type { KeyObject } from 'node:crypto'
import { openSealedBox } from '../../../protocol/crypto/index.ts'
import { type JobKindName, jobKindOfId } from '../../../protocol/job-kinds/index.ts'
import {
  identityIdOf,
  jobTimeline,
  type Ledger,
  type OnChainJob,
} from '../../../protocol/ledger/index.ts'
import {
  isPermanentJobFailure,
  JOB_WORKING_PHASES,
  type JobAnswer,
  jobResultPurpose,
  type PeerClient,
  type StorageNode,
} from '../../../protocol/wire/index.ts'
import {
  JOB_POLL_MIN_MS,
  JOB_POLL_MS,
  JOB_STATUS_WAIT_MS,
  RESULT_TIMEOUT_MS,
  SETBACKS_READ_MS,
  SILENT_NODE_MS,
  STUCK_NODE_MS,
} from '../constants.ts'
import {
  checkOnnxResult,
  checkTrainResult,
  type VerifiedOnnxResult,
  type VerifiedTrainResult,
} from './check-attested-result.ts'
import {
  checkModelResult,
  checkStatsResult,
  checkSumResult,
  requireExpected,
  type VerifiedModelResult,
  type VerifiedStatsResult,
  type VerifiedSumResult,
} from './check-result.ts'
import {
  JobCancelledError,
  JobRejectedError,
  JobResultMismatchError,
  JobTimeoutError,
  NotJobSubmitterError,
} from './errors.ts'
import { jobStatusOf } from './job-status-of.ts'
import type { JobExpectation } from './prepare-job.ts'

export interface AwaitResultOptions {
  client: PeerClient
  ledger: Ledger
  jobId: string
  key: { privateKey: KeyObject }
  storage: readonly StorageNode[]
  timeoutMs?: number
  /**
   * A job whose node does not answer for this long (down, or it does not know the job) is
   * failed on chain by the submitter, so another node takes it.
   * @default SILENT_NODE_MS (60 s)
   */
  retryAfterMs?: number
  /**
   * A job whose node answers but stays in one phase for this long is failed the same way.
   * A node proving a large dataset is slow, not stuck: keep this well above its proving time.
   * @default STUCK_NODE_MS (10 min)
   */
  stuckAfterMs?: number
  /** What the submitter asked for (jobExpectation): the result is held to it, not to the node's word. */
  expected?: JobExpectation
  /** Announces the job again; called when it stays unclaimed for `retryAfterMs`. */
  reannounce?(): Promise<void>
  onPhase?(phase: string, node: string): void
}

/** What went wrong with a job on chain: each node's recorded failure, and a cancellation. */
export interface JobSetbacks {
  failures: Array<{ nodeId: string; reason: string }>
  /** Why its submitter cancelled it, if it did. */
  cancelled?: string
}

/** A job's failures and cancellation, from its events. */
export async function jobSetbacks(ledger: Ledger, jobId: string): Promise<JobSetbacks> {
  const { entries } = await jobTimeline(ledger, jobId, { kinds: ['JobFailed', 'JobCancelled'] })
  const setbacks: JobSetbacks = { failures: [] }
  for (const { kind, args } of entries) {
    const { nodeId, reason } = args as { nodeId?: string; reason: string }
    if (kind === 'JobCancelled') setbacks.cancelled = reason
    else setbacks.failures.push({ nodeId: nodeId!, reason })
  }
  return setbacks
}

/**
 * Waits for the job to complete on chain and fetches the sealed result from the node that
 * ran it, opened with `key` (not yet checked). Fails a silent or stuck node's job on
 * chain so another node takes it. A node that fails the job for a reason no node can avoid
 * (isPermanentJobFailure) ends the wait: the job is cancelled on chain (when this account
 * submitted it) and JobRejectedError names the node and its reason. Throws JobTimeoutError,
 * JobRejectedError, JobCancelledError, NotJobSubmitterError.
 */
export async function awaitDeliveredResult(options: AwaitResultOptions): Promise<{
  job: OnChainJob
  node: string
  phases: Record<string, number>
  opened: unknown
}> {
  const { client, ledger, jobId } = options
  const timeoutMs = options.timeoutMs ?? RESULT_TIMEOUT_MS
  const deadline = Date.now() + timeoutMs
  const retryAfterMs = options.retryAfterMs ?? SILENT_NODE_MS
  const stuckAfterMs = options.stuckAfterMs ?? STUCK_NODE_MS
  let answer: (JobAnswer & { result?: Uint8Array }) | undefined
  let node: StorageNode | undefined
  // changedAt: when status, node or phase last changed; heardAt: when the node last answered
  let progress = { state: '', changedAt: Date.now(), heardAt: Date.now() }
  let setbacksReadAt = 0
  // polled fast right after a change (a short job moves again within milliseconds), then
  // every JOB_POLL_MS; while its node works on it, the node answers when the phase changes
  let pollMs = JOB_POLL_MIN_MS
  const noLongPoll = new Set<string>()
  for (;;) {
    const job = await ledger.job(jobId)
    if (!job) throw new JobResultMismatchError(jobId, 'the chain does not know this job')
    const lastPhase = answer?.phase
    const sameNode = node !== undefined && identityIdOf(node.identity) === job.nodeId
    node = options.storage.find(n => identityIdOf(n.identity) === job.nodeId)
    // a long poll only on the node seen last time, in a phase it will leave by itself
    const wait =
      sameNode && job.status === 'assigned' && lastPhase && JOB_WORKING_PHASES.includes(lastPhase)
        ? { waitWhile: lastPhase, waitMs: JOB_STATUS_WAIT_MS }
        : undefined
    let unreachable: string | undefined
    answer = node
      ? await jobStatusOf(client, node.peerId, jobId, wait, noLongPoll).catch(err => {
          unreachable = err instanceof Error ? err.message : String(err)
          return undefined
        })
      : undefined
    if (job.status === 'completed' && !answer) {
      // the node that ran it is gone: a node it copied the sealed result to answers instead
      const copy = await resultCopy(
        client,
        options.storage.filter(n => n !== node),
        jobId,
      )
      if (copy) [answer, node] = [copy.answer, copy.node]
    }
    if (answer && node) options.onPhase?.(answer.phase, node.identity)
    const state = `${job.status}/${job.nodeId}/${answer?.phase ?? 'silent'}`
    const now = Date.now()
    // what went wrong on chain, read on a change, and every second while the job waits for a
    // node: a claim and its failure can both land between two polls and change nothing seen.
    // A completed job is past its setbacks (another node ran it): its result is what counts.
    if (
      job.status !== 'completed' &&
      (state !== progress.state ||
        job.status === 'cancelled' ||
        (job.status === 'submitted' && now - setbacksReadAt >= SETBACKS_READ_MS))
    ) {
      setbacksReadAt = now
      const setbacks = await jobSetbacks(ledger, jobId)
      if (setbacks.cancelled !== undefined) throw new JobCancelledError(jobId, setbacks.cancelled)
      const permanent = setbacks.failures.find(f => isPermanentJobFailure(f.reason))
      if (permanent) {
        // only the submitter may cancel; anyone else waiting is told all the same
        const cancelled = await ledger.cancelJob(jobId, permanent.reason).then(
          () => true,
          () => false,
        )
        const who = options.storage.find(n => identityIdOf(n.identity) === permanent.nodeId)
        throw new JobRejectedError(
          jobId,
          who?.identity ?? permanent.nodeId,
          permanent.reason,
          cancelled,
        )
      }
    }
    pollMs = state === progress.state ? Math.min(pollMs * 2, JOB_POLL_MS) : JOB_POLL_MIN_MS
    if (state !== progress.state) progress = { state, changedAt: now, heardAt: now }
    else if (answer && answer.phase !== 'failed') progress.heardAt = now
    if (job.status === 'assigned') {
      const who = node?.identity ?? job.nodeId
      const reason =
        now - progress.heardAt > retryAfterMs
          ? `node-silent: no answer from ${who} for ${Math.round(retryAfterMs / 1000)} s`
          : now - progress.changedAt > stuckAfterMs
            ? `node-stuck: no progress from ${who} in ${answer?.phase} for ${Math.round(stuckAfterMs / 1000)} s`
            : undefined
      if (reason) {
        await ledger.failJob(jobId, reason).catch(() => {})
        progress = { state: '', changedAt: now, heardAt: now }
      }
    } else if (
      job.status === 'submitted' &&
      options.reannounce &&
      now - progress.changedAt > retryAfterMs
    ) {
      // nobody claimed it (an announcement can be lost): say it again
      await options.reannounce().catch(() => {})
      progress = { state: '', changedAt: now, heardAt: now }
    }
    if (job.status === 'completed' && answer?.phase === 'delivered' && !answer.result)
      throw new NotJobSubmitterError(jobId)
    if (job.status === 'completed' && answer?.phase === 'failed')
      throw new JobResultMismatchError(
        jobId,
        `${node?.identity} recorded it but failed to deliver: ${answer.error}`,
      )
    if (job.status === 'completed' && answer?.result) {
      const opened: unknown = JSON.parse(
        Buffer.from(
          openSealedBox(options.key.privateKey, answer.result, jobResultPurpose(jobId)),
        ).toString('utf8'),
      )
      return { job, node: answer.node, phases: answer.phases, opened }
    }
    if (Date.now() > deadline)
      throw new JobTimeoutError(
        jobId,
        answer
          ? `${answer.phase} on ${node?.identity}`
          : `${job.status}${unreachable ? ` (its node: ${unreachable})` : ''}`,
        timeoutMs,
      )
    // a long poll that was answered already waited, or saw a change to act on now
    if (!(wait && answer)) await new Promise(resolve => setTimeout(resolve, pollMs))
  }
}

/** The first of `nodes` holding a copy of the job's sealed result for us, or undefined. */
async function resultCopy(client: PeerClient, nodes: readonly StorageNode[], jobId: string) {
  for (const node of nodes) {
    const answer = await client.jobStatus(node.peerId, jobId).catch(() => undefined)
    if (answer?.result) return { answer, node }
  }
  return undefined
}

/** Each kind's check of a delivered result, typed to cover every kind of the registry. */
const RESULT_CHECKS: {
  [K in JobKindName]: (
    delivered: Awaited<ReturnType<typeof awaitDeliveredResult>>,
  ) => Promise<VerifiedJobResult> | VerifiedJobResult
} = {
  stats: checkStatsResult,
  linear: checkModelResult('linear'),
  mlp: checkModelResult('mlp'),
  sum: checkSumResult,
  onnx: checkOnnxResult,
  'train-linear': checkTrainResult('train-linear'),
  'train-logistic': checkTrainResult('train-logistic'),
}

/** A delivered result of any kind, checked. */
export type VerifiedJobResult =
  | VerifiedStatsResult
  | VerifiedModelResult
  | VerifiedSumResult
  | VerifiedOnnxResult
  | VerifiedTrainResult

/**
 * Waits for the job to complete on chain, fetches the sealed result from the node that
 * ran it, opens it with `key`, and checks it against the chain and its proofs: result
 * hash as recorded, proofs valid, proven commitments forming the dataset root the job
 * named (a sum has no proofs: see recheckSumResult). Throws JobTimeoutError,
 * JobResultMismatchError, NotJobSubmitterError.
 */
export async function awaitJobResult(options: AwaitResultOptions): Promise<VerifiedJobResult> {
  const delivered = await awaitDeliveredResult(options)
  const kind = jobKindOfId(delivered.job.kind)
  if (!kind)
    throw new JobResultMismatchError(options.jobId, `unknown job kind ${delivered.job.kind}`)
  const result = await RESULT_CHECKS[kind.name](delivered)
  if (options.expected) requireExpected(result, options.expected)
  return result
}

/** awaitJobResult for a job known to be `stats`. */
export async function awaitStatsResult(options: AwaitResultOptions): Promise<VerifiedStatsResult> {
  const result = await awaitJobResult(options)
  if (result.kind !== 'stats')
    throw new JobResultMismatchError(options.jobId, `it is a ${result.kind} job, not stats`)
  return result
}
