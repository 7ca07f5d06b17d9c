/** Submit a prepared job: recorded on chain, then announced on gossipsub. */

import { utf8 } from '../../../protocol/crypto/index.ts'
import { JOB_KINDS } from '../../../protocol/job-kinds/index.ts'
import { type Ledger, projectIdOf, requireApprovedModel } from '../../../protocol/ledger/index.ts'
import { randomSalt } from '../../../protocol/proof/index.ts'
import { JOB_TOPIC, type PeerClient, type StorageNode } from '../../../protocol/wire/index.ts'
import {
  ANNOUNCE_RETRY_MS,
  ANNOUNCE_TIMEOUT_MS,
  JOB_POLL_MS,
  REANNOUNCE_AFTER_MS,
} from '../constants.ts'
import { JobTimeoutError } from './errors.ts'
import { type JobRequest, jobModelCommitment, type PreparedJob, prepareJob } from './prepare-job.ts'

/**
 * Announces a job: handed directly to each of `nodes` (acknowledged; the nodes holding its
 * dataset are the natural ones), and published on gossipsub for every other node of the
 * project. Succeeds once a node took it, or gossipsub sent it to a peer; retries until then.
 */
export async function announceJob(
  client: PeerClient,
  job: PreparedJob,
  options: { nodes?: readonly StorageNode[]; timeoutMs?: number } = {},
): Promise<void> {
  const pubsub = client.host.services.pubsub
  const timeoutMs = options.timeoutMs ?? ANNOUNCE_TIMEOUT_MS
  const deadline = Date.now() + timeoutMs
  const announcement = utf8(
    JSON.stringify({
      v: 1,
      jobId: job.jobId,
      project: job.project,
      spec: Buffer.from(job.sealed).toString('base64'),
      at: Date.now(),
    }),
  )
  for (;;) {
    const offered = await Promise.allSettled(
      (options.nodes ?? []).map(node => client.offerJob(node.peerId, announcement)),
    )
    // the host refuses to publish to nobody (else gossipsub marks the message seen, never to resend it)
    const sent = await pubsub.publish(JOB_TOPIC, announcement).catch(() => ({ recipients: [] }))
    if (sent.recipients.length > 0 || offered.some(o => o.status === 'fulfilled')) return
    if (Date.now() > deadline)
      throw new JobTimeoutError(job.jobId, 'unannounced (no node listens for jobs)', timeoutMs)
    await new Promise(resolve => setTimeout(resolve, ANNOUNCE_RETRY_MS))
  }
}

/**
 * Prepares a job, records it on chain and announces it. Returns the job id.
 * ModelNotApprovedError for a linear, mlp or onnx model its project has not approved (when the
 * project has approvers).
 * With `claimWithinMs`, it also waits until a node claims the job, announcing it again
 * every few seconds (a client about to exit must not trust one gossip message to leave
 * before it closes); JobTimeoutError if no node claims it in time.
 */
export async function submitJob(
  options: JobRequest & { client: PeerClient; ledger: Ledger; claimWithinMs?: number },
): Promise<string> {
  const { params } = options
  if (params.kind === 'linear' || params.kind === 'mlp') {
    // a project with approvers runs approved models only: refused here, before the chain
    const modelSalt = params.modelSalt ?? randomSalt()
    await requireApprovedModel(
      options.ledger,
      projectIdOf(options.project),
      await jobModelCommitment({ ...params, modelSalt }),
    )
    options = { ...options, params: { ...params, modelSalt } }
  }
  if (params.kind === 'onnx')
    await requireApprovedModel(
      options.ledger,
      projectIdOf(options.project),
      BigInt(`0x${params.model.sha256}`),
    )
  const job = prepareJob(options)
  await options.ledger.submitJob(
    job.jobId,
    projectIdOf(job.project),
    JOB_KINDS[job.kind],
    job.specHash,
    job.inputCommitment,
  )
  const more = options.params.kind === 'sum' ? (options.params.more ?? []) : []
  const holders = [options.dataset, ...more].flatMap(d => d.manifest.holders)
  const nodes = [...new Map(holders.map(n => [n.peerId, n])).values()]
  await announceJob(options.client, job, { nodes })
  if (options.claimWithinMs === undefined) return job.jobId
  const deadline = Date.now() + options.claimWithinMs
  let announcedAt = Date.now()
  while ((await options.ledger.job(job.jobId))?.status === 'submitted') {
    if (Date.now() > deadline)
      throw new JobTimeoutError(job.jobId, 'unclaimed by any node', options.claimWithinMs)
    if (Date.now() - announcedAt > REANNOUNCE_AFTER_MS) {
      await announceJob(options.client, job, { nodes })
      announcedAt = Date.now()
    }
    await new Promise(resolve => setTimeout(resolve, JOB_POLL_MS))
  }
  return job.jobId
}

/** submitJob for a `stats` job. */
export function submitStatsJob(
  options: Omit<Parameters<typeof submitJob>[0], 'params'> & { threshold: bigint },
): Promise<string> {
  return submitJob({ ...options, params: { kind: 'stats', threshold: options.threshold } })
}
