/**
 * Jobs from the client's side: upload a numeric dataset (chunks committed with salted
 * Poseidon, sealed, placed with replication; the manifest sealed too; the root on chain),
 * submit a `stats` job (spec sealed with the project key, announced on gossipsub,
 * recorded on chain), and fetch its result: opened with the submitter's key and checked
 * against the chain (result hash, dataset root) and by re-verifying every proof.
 * @module
 */
import { type KeyObject, randomBytes } from 'node:crypto'
import { keccak256 } from 'ethers'
import { type EnvelopeKey, openSealedBox, sealEnvelope, utf8 } from '../../protocol/crypto/index.ts'
import {
  datasetIdOf,
  identityIdOf,
  JOB_KINDS,
  type Ledger,
  projectIdOf,
} from '../../protocol/ledger/index.ts'
import {
  type ChunkProof,
  chunkCommitment,
  combineStats,
  datasetRoot,
  randomSalt,
  statsResultHash,
  verifyChunkProof,
} from '../../protocol/proof/index.ts'
import {
  chunkContext,
  type DatasetManifest,
  JOB_TOPIC,
  type JobAnswer,
  type JobSpec,
  jobResultPurpose,
  manifestContext,
  type PeerClient,
  placeShard,
  StatsJobResultSchema,
  type StorageNode,
  specContext,
} from '../../protocol/wire/index.ts'

export class JobTimeoutError extends Error {
  static override name = 'JobTimeoutError'
  constructor(jobId: string, state: string, ms: number) {
    super(`job ${jobId.slice(0, 12)}… is still ${state} after ${Math.round(ms / 1000)} s`)
    this.name = JobTimeoutError.name
  }
}

export class JobResultMismatchError extends Error {
  static override name = 'JobResultMismatchError'
  constructor(jobId: string, problem: string) {
    super(`the result of job ${jobId.slice(0, 12)}… does not check out: ${problem}`)
    this.name = JobResultMismatchError.name
  }
}

export class NotJobSubmitterError extends Error {
  static override name = 'NotJobSubmitterError'
  constructor(jobId: string) {
    super(`the result of job ${jobId.slice(0, 12)}… is sealed to its submitter, not to you`)
    this.name = NotJobSubmitterError.name
  }
}

const sealJson = (key: EnvelopeKey, context: Parameters<typeof sealEnvelope>[1], value: unknown) =>
  sealEnvelope(key, context, utf8(JSON.stringify(value)))

export interface UploadedDataset {
  dataset: string
  root: string
  manifest: { shardId: string; holders: StorageNode[] }
}

/**
 * Stores `values` (integers below 2^32) as a committed numeric dataset of `project`.
 * @example await uploadNumericDataset({ client, ledger, projectKey, project: 'acme', dataset: 'spend', values, chunkSize: 32, storage })
 */
export async function uploadNumericDataset(options: {
  client: PeerClient
  ledger: Ledger
  projectKey: EnvelopeKey
  project: string
  dataset: string
  values: readonly bigint[]
  chunkSize: number
  storage: readonly StorageNode[]
  replication?: number
  onProgress?(done: number, total: number): void
}): Promise<UploadedDataset> {
  const { client, projectKey, project, dataset, chunkSize, storage } = options
  const projectId = projectIdOf(project)
  const chunks: DatasetManifest['chunks'] = []
  const total = Math.ceil(options.values.length / chunkSize)
  for (let index = 0; index < total; index++) {
    const values = options.values.slice(index * chunkSize, (index + 1) * chunkSize)
    const salt = randomSalt()
    const commitment = await chunkCommitment(values, salt, chunkSize)
    const shard = sealJson(projectKey, chunkContext(project, dataset, index), {
      values: values.map(String),
      salt: String(salt),
    })
    const placed = await placeShard(client, projectId, shard, storage, options.replication)
    chunks.push({
      shardId: placed.shardId,
      commitment: String(commitment),
      holders: placed.holders,
    })
    options.onProgress?.(index + 1, total)
  }
  const root = datasetRoot(chunks.map(c => BigInt(c.commitment)))
  const manifest: DatasetManifest = { dataset, chunkSize, root, chunks }
  const placed = await placeShard(
    client,
    projectId,
    sealJson(projectKey, manifestContext(project, dataset), manifest),
    storage,
    options.replication,
  )
  await options.ledger.commitDataset(
    projectId,
    datasetIdOf(dataset),
    root,
    chunks.length,
    placed.shardId,
  )
  return { dataset, root, manifest: { shardId: placed.shardId, holders: placed.holders } }
}

export interface PreparedJob {
  jobId: string
  project: string
  /** The spec sealed with the project key. */
  sealed: Uint8Array
  /** Recorded on chain: keccak256 of the sealed spec. */
  specHash: string
  inputCommitment: string
}

/** Builds and seals a `stats` job spec (count, sum, sum of squares of values ≥ threshold). */
export function prepareStatsJob(options: {
  projectKey: EnvelopeKey
  project: string
  dataset: UploadedDataset
  threshold: bigint
  /** The submitter's identity name: the result is sealed to its registered key. */
  submitter: string
}): PreparedJob {
  const { project, dataset } = options
  const jobId = `0x${randomBytes(32).toString('hex')}`
  const spec: JobSpec = {
    jobId,
    project,
    kind: 'stats',
    dataset: dataset.dataset,
    manifest: dataset.manifest,
    threshold: String(options.threshold),
    submitter: options.submitter,
  }
  const sealed = sealJson(options.projectKey, specContext(project, jobId), spec)
  return { jobId, project, sealed, specHash: keccak256(sealed), inputCommitment: dataset.root }
}

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
  const timeoutMs = options.timeoutMs ?? 10_000
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
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

/**
 * Prepares a stats job, records it on chain and announces it. Returns the job id.
 * With `claimWithinMs`, it also waits until a node claims the job, announcing it again
 * every few seconds (a client about to exit must not trust one gossip message to leave
 * before it closes); JobTimeoutError if no node claims it in time.
 */
export async function submitStatsJob(
  options: Parameters<typeof prepareStatsJob>[0] & {
    client: PeerClient
    ledger: Ledger
    claimWithinMs?: number
  },
): Promise<string> {
  const job = prepareStatsJob(options)
  await options.ledger.submitJob(
    job.jobId,
    projectIdOf(job.project),
    JOB_KINDS.stats,
    job.specHash,
    job.inputCommitment,
  )
  const nodes = options.dataset.manifest.holders
  await announceJob(options.client, job, { nodes })
  if (options.claimWithinMs === undefined) return job.jobId
  const deadline = Date.now() + options.claimWithinMs
  let announcedAt = Date.now()
  while ((await options.ledger.job(job.jobId))?.status === 'submitted') {
    if (Date.now() > deadline)
      throw new JobTimeoutError(job.jobId, 'unclaimed by any node', options.claimWithinMs)
    if (Date.now() - announcedAt > 3_000) {
      await announceJob(options.client, job, { nodes })
      announcedAt = Date.now()
    }
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  return job.jobId
}

export interface VerifiedStatsResult {
  jobId: string
  node: string
  count: bigint
  sum: bigint
  sumOfSquares: bigint
  threshold: bigint
  proofs: ChunkProof[]
  /** Milliseconds the node spent in each phase. */
  phases: Record<string, number>
}

/**
 * Waits for the job to complete on chain, fetches the sealed result from the node that
 * ran it, opens it with `key`, and checks it: result hash as recorded, proofs valid,
 * proven commitments forming the dataset root the job named. Throws JobTimeoutError,
 * JobResultMismatchError.
 */
export async function awaitStatsResult(options: {
  client: PeerClient
  ledger: Ledger
  jobId: string
  key: { privateKey: KeyObject }
  storage: readonly StorageNode[]
  timeoutMs?: number
  /**
   * A job whose node does not answer for this long (down, or it does not know the job) is
   * failed on chain by the submitter, so another node takes it.
   * @default 60_000
   */
  retryAfterMs?: number
  /**
   * A job whose node answers but stays in one phase for this long is failed the same way.
   * A node proving a large dataset is slow, not stuck: keep this well above its proving time.
   * @default 600_000
   */
  stuckAfterMs?: number
  /** Announces the job again; called when it stays unclaimed for `retryAfterMs`. */
  reannounce?(): Promise<void>
  onPhase?(phase: string, node: string): void
}): Promise<VerifiedStatsResult> {
  const { client, ledger, jobId } = options
  const timeoutMs = options.timeoutMs ?? 300_000
  const deadline = Date.now() + timeoutMs
  const retryAfterMs = options.retryAfterMs ?? 60_000
  const stuckAfterMs = options.stuckAfterMs ?? 600_000
  let answer: (JobAnswer & { result?: Uint8Array }) | undefined
  let node: StorageNode | undefined
  // changedAt: when status, node or phase last changed; heardAt: when the node last answered
  let progress = { state: '', changedAt: Date.now(), heardAt: Date.now() }
  for (;;) {
    const job = await ledger.job(jobId)
    if (!job) throw new JobResultMismatchError(jobId, 'the chain does not know this job')
    node = options.storage.find(n => identityIdOf(n.identity) === job.nodeId)
    let unreachable: string | undefined
    answer = node
      ? await client.jobStatus(node.peerId, jobId).catch(err => {
          unreachable = err instanceof Error ? err.message : String(err)
          return undefined
        })
      : undefined
    if (answer && node) options.onPhase?.(answer.phase, node.identity)
    const state = `${job.status}/${job.nodeId}/${answer?.phase ?? 'silent'}`
    const now = Date.now()
    if (state !== progress.state) progress = { state, changedAt: now, heardAt: now }
    else if (answer && answer.phase !== 'failed') progress.heardAt = now
    if (job.status === 'assigned') {
      const who = node?.identity ?? job.nodeId
      const reason =
        now - progress.heardAt > retryAfterMs
          ? `no answer from ${who} for ${Math.round(retryAfterMs / 1000)} s`
          : now - progress.changedAt > stuckAfterMs
            ? `no progress from ${who} in ${answer?.phase} for ${Math.round(stuckAfterMs / 1000)} s`
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
      const box = answer.result
      const opened = StatsJobResultSchema.parse(
        JSON.parse(
          Buffer.from(openSealedBox(options.key.privateKey, box, jobResultPurpose(jobId))).toString(
            'utf8',
          ),
        ),
      )
      const proofs = opened.proofs as ChunkProof[]
      const threshold = BigInt(opened.threshold)
      const stats = combineStats(proofs)
      if (statsResultHash(stats, threshold) !== job.resultHash)
        throw new JobResultMismatchError(jobId, 'its hash is not the one recorded on chain')
      if (stats.count !== BigInt(opened.count) || stats.sum !== BigInt(opened.sum))
        throw new JobResultMismatchError(
          jobId,
          'the stated numbers differ from what the proofs prove',
        )
      if (datasetRoot(proofs.map(p => BigInt(p.publicSignals[3]!))) !== job.inputCommitment)
        throw new JobResultMismatchError(jobId, 'the proven chunks are not the committed dataset')
      for (const proof of proofs)
        if (!(await verifyChunkProof(proof)))
          throw new JobResultMismatchError(jobId, 'a chunk proof does not verify')
      return { jobId, node: node!.identity, ...stats, threshold, proofs, phases: answer.phases }
    }
    if (Date.now() > deadline)
      throw new JobTimeoutError(
        jobId,
        answer
          ? `${answer.phase} on ${node?.identity}`
          : `${job.status}${unreachable ? ` (its node: ${unreachable})` : ''}`,
        timeoutMs,
      )
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}
