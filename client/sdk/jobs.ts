/**
 * Jobs from the client's side: upload a numeric dataset (chunks committed with salted
 * Poseidon, sealed, placed with replication; the manifest sealed too; the root on chain)
 * or a column of Paillier ciphertexts, submit a `stats`, `linear` or `sum` job (spec sealed
 * with the project key, announced on gossipsub, recorded on chain), and fetch its result:
 * opened with the submitter's key and checked against the chain (result hash, dataset
 * root) and by re-verifying every proof, or for a sum by re-adding the ciphertexts.
 * @module
 */
import { type KeyObject, randomBytes } from 'node:crypto'
import { keccak256 } from 'ethers'
import {
  ciphertextToHex,
  decryptPaillier,
  type EnvelopeKey,
  encryptPaillier,
  openSealedBox,
  type PaillierPrivateKey,
  type PaillierPublicKey,
  paillierKeyId,
  paillierPublicKey,
  sealEnvelope,
  utf8,
} from '../../protocol/crypto/index.ts'
import {
  datasetIdOf,
  identityIdOf,
  JOB_KINDS,
  jobTimeline,
  type Ledger,
  type OnChainJob,
  projectIdOf,
  requireApprovedModel,
} from '../../protocol/ledger/index.ts'
import {
  type ChunkProof,
  chunkCommitment,
  datasetRoot,
  type LinearModel,
  type LinearOpening,
  linearOf,
  linearResultHash,
  modelCommitment,
  openLinear,
  openStats,
  ResultOpeningError,
  randomSalt,
  statsOf,
  statsResultHash,
  verifyChunkProof,
} from '../../protocol/proof/index.ts'
import {
  addPaillierDatasets,
  chunkContext,
  createDatasetKey,
  type DatasetManifest,
  datasetEnvelopeKey,
  isPermanentJobFailure,
  JOB_TOPIC,
  type JobAnswer,
  type JobSpec,
  jobResultPurpose,
  LinearJobResultSchema,
  manifestContext,
  type PaillierDataset,
  type PeerClient,
  paillierChunkCommitment,
  placeShard,
  StatsJobResultSchema,
  type StorageNode,
  SumJobResultSchema,
  specContext,
  sumInputCommitment,
  sumResultHash,
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

/** A node found the job can never run (PERMANENT_JOB_FAILURES); its submitter cancelled it. */
export class JobRejectedError extends Error {
  static override name = 'JobRejectedError'
  constructor(jobId: string, node: string, reason: string, cancelled: boolean) {
    super(
      `job ${jobId.slice(0, 12)}… can't run: ${node} refused it (${reason}); ${cancelled ? 'it is cancelled on chain, so no other node tries it' : 'only its submitter can cancel it'}`,
    )
    this.name = JobRejectedError.name
  }
}

export class JobCancelledError extends Error {
  static override name = 'JobCancelledError'
  constructor(jobId: string, reason: string) {
    super(`job ${jobId.slice(0, 12)}… was cancelled by its submitter: ${reason}`)
    this.name = JobCancelledError.name
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

/** Where a dataset goes: the project, its key, the nodes to place it on. */
export interface DatasetUpload {
  client: PeerClient
  ledger: Ledger
  projectKey: EnvelopeKey
  project: string
  dataset: string
  storage: readonly StorageNode[]
  replication?: number
  onProgress?(done: number, total: number): void
}

/**
 * Seals and places `count` chunks (each one `chunk(index)` makes) with a fresh data key,
 * then the manifest holding that key, sealed with the project key, and commits the root
 * on chain: the part every dataset kind shares.
 */
async function uploadChunks(
  options: DatasetUpload & {
    count: number
    chunk(index: number): Promise<{ payload: unknown; commitment: bigint }>
    shape: Pick<DatasetManifest, 'chunkSize' | 'features' | 'paillier'>
  },
): Promise<UploadedDataset> {
  const { client, projectKey, project, dataset, storage } = options
  const projectId = projectIdOf(project)
  const dataKey = createDatasetKey()
  const chunkKey = datasetEnvelopeKey(project, dataset, projectKey.version, dataKey)
  const chunks: DatasetManifest['chunks'] = []
  for (let index = 0; index < options.count; index++) {
    const { payload, commitment } = await options.chunk(index)
    const shard = sealJson(chunkKey, chunkContext(project, dataset, index), payload)
    const placed = await placeShard(client, projectId, shard, storage, options.replication)
    chunks.push({
      shardId: placed.shardId,
      commitment: String(commitment),
      holders: placed.holders,
    })
    options.onProgress?.(index + 1, options.count)
  }
  const root = datasetRoot(chunks.map(c => BigInt(c.commitment)))
  const manifest: DatasetManifest = { dataset, ...options.shape, dataKey, root, chunks }
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

/**
 * Stores `values` (integers below 2^32) as a committed numeric dataset of `project`.
 * @example await uploadNumericDataset({ client, ledger, projectKey, project: 'acme', dataset: 'spend', values, chunkSize: 32, storage })
 */
export function uploadNumericDataset(
  options: DatasetUpload & {
    /** A column's values, or records of `features` values each, one after another. */
    values: readonly bigint[]
    /** Entries per chunk: values, or records when `features` is set. */
    chunkSize: number
    /** Records of this many features (a `linear` job's input); a single column if absent. */
    features?: number
  },
): Promise<UploadedDataset> {
  const { chunkSize, features } = options
  const width = features ?? 1
  if (options.values.length === 0 || options.values.length % width !== 0)
    throw new RangeError(
      `a dataset of records of ${width} features needs a whole, non-zero number of records; got ${options.values.length} values`,
    )
  const perChunk = chunkSize * width
  return uploadChunks({
    ...options,
    count: Math.ceil(options.values.length / perChunk),
    shape: { chunkSize, features },
    async chunk(index) {
      const values = options.values.slice(index * perChunk, (index + 1) * perChunk)
      const salt = randomSalt()
      return {
        payload: { values: values.map(String), salt: String(salt) },
        commitment: await chunkCommitment(values, salt, perChunk),
      }
    },
  })
}

/**
 * Stores signed integers encrypted under a Paillier public key, as a committed dataset a
 * `sum` job adds: the nodes that add them can't read them, only the private key's holder
 * opens the total. Encryption is the slow part (about 90 ms a value at 2048 bits); progress
 * is reported per chunk.
 * @example await uploadPaillierDataset({ client, ledger, projectKey, project: 'acme', dataset: 'bonus-alice', values: [1200n], publicKey, storage })
 */
export function uploadPaillierDataset(
  options: DatasetUpload & {
    values: readonly bigint[]
    publicKey: PaillierPublicKey
    /** Values per chunk. @default 64 */
    chunkSize?: number
  },
): Promise<UploadedDataset> {
  const { publicKey } = options
  const chunkSize = options.chunkSize ?? 64
  if (options.values.length === 0) throw new RangeError('a sum dataset needs at least one value')
  // checked up front, so a value out of range fails before anything is placed
  for (const value of options.values) encryptPaillier(publicKey, value, 1n)
  return uploadChunks({
    ...options,
    count: Math.ceil(options.values.length / chunkSize),
    shape: { chunkSize, paillier: { n: publicKey.n.toString(16) } },
    async chunk(index) {
      const ciphertexts = options.values
        .slice(index * chunkSize, (index + 1) * chunkSize)
        .map(v => ciphertextToHex(publicKey, encryptPaillier(publicKey, v)))
      return { payload: { ciphertexts }, commitment: paillierChunkCommitment(ciphertexts) }
    },
  })
}

export interface PreparedJob {
  jobId: string
  project: string
  kind: JobSpec['kind']
  /** The spec sealed with the project key. */
  sealed: Uint8Array
  /** Recorded on chain: keccak256 of the sealed spec. */
  specHash: string
  inputCommitment: string
}

/**
 * What a job computes: `stats` of a column's values ≥ threshold, a `linear` model per
 * record, or the encrypted `sum` of a Paillier dataset and of `more` such datasets.
 */
export type JobParams =
  | { kind: 'stats'; threshold: bigint }
  | {
      kind: 'linear'
      model: LinearModel
      /** The salt of its commitment: a deployment's (see model-deployment.ts), else fresh. */
      modelSalt?: bigint
    }
  | { kind: 'sum'; more?: readonly UploadedDataset[] }

export interface JobRequest {
  projectKey: EnvelopeKey
  project: string
  dataset: UploadedDataset
  params: JobParams
  /** The submitter's identity name: the result is sealed to its registered key. */
  submitter: string
}

/**
 * Builds and seals a job spec. A linear model travels only inside the sealed spec (with
 * a fresh salt), so only the project's members and nodes learn it; the chain and the
 * proofs see its commitment.
 */
export function prepareJob(request: JobRequest): PreparedJob {
  const { project, dataset, params } = request
  const jobId = `0x${randomBytes(32).toString('hex')}`
  const base = {
    jobId,
    project,
    dataset: dataset.dataset,
    manifest: dataset.manifest,
    submitter: request.submitter,
  }
  const more = params.kind === 'sum' ? (params.more ?? []) : []
  const spec: JobSpec =
    params.kind === 'stats'
      ? { ...base, kind: 'stats', threshold: String(params.threshold) }
      : params.kind === 'linear'
        ? {
            ...base,
            kind: 'linear',
            model: { weights: params.model.weights.map(String), bias: String(params.model.bias) },
            modelSalt: String(params.modelSalt ?? randomSalt()),
          }
        : {
            ...base,
            kind: 'sum',
            more: more.map(d => ({ dataset: d.dataset, manifest: d.manifest })),
          }
  const sealed = sealJson(request.projectKey, specContext(project, jobId), spec)
  return {
    jobId,
    project,
    kind: spec.kind,
    sealed,
    specHash: keccak256(sealed),
    inputCommitment:
      params.kind === 'sum'
        ? sumInputCommitment([dataset.root, ...more.map(d => d.root)])
        : dataset.root,
  }
}

/** Builds and seals a `stats` job spec (count, sum, sum of squares of values ≥ threshold). */
export function prepareStatsJob(
  options: Omit<JobRequest, 'params'> & { threshold: bigint },
): PreparedJob {
  return prepareJob({ ...options, params: { kind: 'stats', threshold: options.threshold } })
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
 * Prepares a job, records it on chain and announces it. Returns the job id.
 * ModelNotApprovedError for a linear model its project has not approved (when the
 * project has approvers).
 * With `claimWithinMs`, it also waits until a node claims the job, announcing it again
 * every few seconds (a client about to exit must not trust one gossip message to leave
 * before it closes); JobTimeoutError if no node claims it in time.
 */
export async function submitJob(
  options: JobRequest & { client: PeerClient; ledger: Ledger; claimWithinMs?: number },
): Promise<string> {
  const { params } = options
  if (params.kind === 'linear') {
    // a project with approvers runs approved models only: refused here, before the chain
    const modelSalt = params.modelSalt ?? randomSalt()
    await requireApprovedModel(
      options.ledger,
      projectIdOf(options.project),
      await modelCommitment(params.model, modelSalt),
    )
    options = { ...options, params: { ...params, modelSalt } }
  }
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
    if (Date.now() - announcedAt > 3_000) {
      await announceJob(options.client, job, { nodes })
      announcedAt = Date.now()
    }
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  return job.jobId
}

/** submitJob for a `stats` job. */
export function submitStatsJob(
  options: Omit<Parameters<typeof submitJob>[0], 'params'> & { threshold: bigint },
): Promise<string> {
  return submitJob({ ...options, params: { kind: 'stats', threshold: options.threshold } })
}

export interface VerifiedStatsResult {
  kind: 'stats'
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

export interface VerifiedLinearResult {
  kind: 'linear'
  jobId: string
  node: string
  /** The model's commitment, as every chunk proof states it. */
  modelCommitment: bigint
  /** One output per record, in dataset order. */
  outputs: bigint[]
  proofs: ChunkProof[]
  phases: Record<string, number>
}

export interface VerifiedSumResult {
  kind: 'sum'
  jobId: string
  node: string
  /** The Paillier modulus the total is encrypted under. */
  n: bigint
  /** The encrypted total: open it with openSumTotal. */
  total: bigint
  /** How many values were added. */
  count: number
  /** The project and the datasets added, as the node names them (recheckSumResult holds them to the chain). */
  project: string
  datasets: string[]
  phases: Record<string, number>
}

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
async function awaitDeliveredResult(options: AwaitResultOptions): Promise<{
  job: OnChainJob
  node: string
  phases: Record<string, number>
  opened: unknown
}> {
  const { client, ledger, jobId } = options
  const timeoutMs = options.timeoutMs ?? 300_000
  const deadline = Date.now() + timeoutMs
  const retryAfterMs = options.retryAfterMs ?? 60_000
  const stuckAfterMs = options.stuckAfterMs ?? 600_000
  let answer: (JobAnswer & { result?: Uint8Array }) | undefined
  let node: StorageNode | undefined
  // changedAt: when status, node or phase last changed; heardAt: when the node last answered
  let progress = { state: '', changedAt: Date.now(), heardAt: Date.now() }
  let setbacksReadAt = 0
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
    // what went wrong on chain, read on a change, and every second while the job waits for a
    // node: a claim and its failure can both land between two polls and change nothing seen.
    // A completed job is past its setbacks (another node ran it): its result is what counts.
    if (
      job.status !== 'completed' &&
      (state !== progress.state ||
        job.status === 'cancelled' ||
        (job.status === 'submitted' && now - setbacksReadAt >= 1_000))
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
      const opened: unknown = JSON.parse(
        Buffer.from(
          openSealedBox(options.key.privateKey, answer.result, jobResultPurpose(jobId)),
        ).toString('utf8'),
      )
      return { job, node: node!.identity, phases: answer.phases, opened }
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

async function requireValidProofs(jobId: string, proofs: readonly ChunkProof[]): Promise<void> {
  for (const proof of proofs)
    if (!(await verifyChunkProof(proof)))
      throw new JobResultMismatchError(jobId, 'a chunk proof does not verify')
}

/** Opens each chunk's result commitment, or says which one the node got wrong. */
async function checkedOpenings<T>(jobId: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open()
  } catch (err) {
    if (err instanceof ResultOpeningError)
      throw new JobResultMismatchError(
        jobId,
        `the delivered numbers differ from what the proofs committed to (${err.message})`,
      )
    throw err
  }
}

/**
 * A delivered stats result checked: hash as recorded (over the proofs' result
 * commitments), each chunk's numbers as committed, the totals, dataset root, proofs.
 */
async function checkStatsResult(
  delivered: Awaited<ReturnType<typeof awaitDeliveredResult>>,
): Promise<VerifiedStatsResult> {
  const { job, opened: raw } = delivered
  const result = StatsJobResultSchema.parse(raw)
  const { jobId } = result
  const proofs = result.proofs as ChunkProof[]
  const threshold = BigInt(result.threshold)
  if (statsResultHash(proofs) !== job.resultHash)
    throw new JobResultMismatchError(jobId, 'its hash is not the one recorded on chain')
  const openings = result.chunks.map(c => ({
    count: BigInt(c.count),
    sum: BigInt(c.sum),
    sumOfSquares: BigInt(c.sumOfSquares),
    salt: BigInt(c.salt),
  }))
  const stats = await checkedOpenings(jobId, () => openStats(proofs, openings, threshold))
  if (
    stats.count !== BigInt(result.count) ||
    stats.sum !== BigInt(result.sum) ||
    stats.sumOfSquares !== BigInt(result.sumOfSquares)
  )
    throw new JobResultMismatchError(jobId, 'the stated totals differ from the chunks proven')
  if (datasetRoot(proofs.map(p => statsOf(p).commitment)) !== job.inputCommitment)
    throw new JobResultMismatchError(jobId, 'the proven chunks are not the committed dataset')
  await requireValidProofs(jobId, proofs)
  return {
    kind: 'stats',
    jobId,
    node: delivered.node,
    ...stats,
    threshold,
    proofs,
    phases: delivered.phases,
  }
}

/**
 * A delivered linear result checked: model as proven, each chunk's outputs as committed,
 * hash as recorded, root, proofs.
 */
async function checkLinearResult(
  delivered: Awaited<ReturnType<typeof awaitDeliveredResult>>,
): Promise<VerifiedLinearResult> {
  const { job } = delivered
  const result = LinearJobResultSchema.parse(delivered.opened)
  const { jobId } = result
  const proofs = result.proofs as ChunkProof[]
  const parts = proofs.map(linearOf)
  const model = BigInt(result.modelCommitment)
  if (parts.some(p => p.modelCommitment !== model))
    throw new JobResultMismatchError(jobId, 'the chunks were proven with another model')
  if (linearResultHash(proofs) !== job.resultHash)
    throw new JobResultMismatchError(jobId, 'its hash is not the one recorded on chain')
  const stated = result.outputs.map(BigInt)
  const proven = parts.reduce((n, p) => n + p.length, 0)
  if (result.salts.length !== proofs.length || stated.length !== proven)
    throw new JobResultMismatchError(jobId, 'the stated outputs do not fit the chunks proven')
  const openings: LinearOpening[] = []
  let next = 0
  for (const [i, p] of parts.entries()) {
    openings.push({ outputs: stated.slice(next, next + p.length), salt: BigInt(result.salts[i]!) })
    next += p.length
  }
  const outputs = await checkedOpenings(jobId, () => openLinear(proofs, openings))
  if (datasetRoot(parts.map(p => p.dataCommitment)) !== job.inputCommitment)
    throw new JobResultMismatchError(jobId, 'the proven chunks are not the committed dataset')
  await requireValidProofs(jobId, proofs)
  return {
    kind: 'linear',
    jobId,
    node: delivered.node,
    modelCommitment: model,
    outputs,
    proofs,
    phases: delivered.phases,
  }
}

/**
 * A delivered sum checked against the chain: its hash as recorded. The total itself has no
 * proof; recheckSumResult re-adds the ciphertexts to confirm it.
 */
function checkSumResult(
  delivered: Awaited<ReturnType<typeof awaitDeliveredResult>>,
): VerifiedSumResult {
  const opened = SumJobResultSchema.parse(delivered.opened)
  if (sumResultHash(opened.total, opened.count) !== delivered.job.resultHash)
    throw new JobResultMismatchError(opened.jobId, 'its hash is not the one recorded on chain')
  return {
    kind: 'sum',
    jobId: opened.jobId,
    node: delivered.node,
    n: BigInt(`0x${opened.n}`),
    total: BigInt(`0x${opened.total}`),
    count: opened.count,
    project: opened.project,
    datasets: opened.datasets,
    phases: delivered.phases,
  }
}

/**
 * Re-executes a sum over its datasets (read with readPaillierDataset, by any member): the
 * job's input commitment must be theirs and their ciphertexts must add up to the total the
 * node delivered. Throws JobResultMismatchError naming which does not hold.
 */
export function recheckSumResult(
  result: VerifiedSumResult,
  job: Pick<OnChainJob, 'inputCommitment' | 'projectId'>,
  datasets: readonly PaillierDataset[],
): void {
  if (projectIdOf(result.project) !== job.projectId)
    throw new JobResultMismatchError(result.jobId, `the job is not of project ${result.project}`)
  if (sumInputCommitment(datasets.map(d => d.manifest.root)) !== job.inputCommitment)
    throw new JobResultMismatchError(result.jobId, 'these are not the datasets the job named')
  const recomputed = addPaillierDatasets(datasets)
  if (BigInt(`0x${recomputed.total}`) !== result.total || recomputed.count !== result.count)
    throw new JobResultMismatchError(
      result.jobId,
      `${result.node} delivered a total the datasets do not add up to`,
    )
}

/** Opens a sum's total with the Paillier private key it was encrypted for. */
export function openSumTotal(privateKey: PaillierPrivateKey, result: VerifiedSumResult): bigint {
  if (privateKey.publicKey.n !== result.n)
    throw new JobResultMismatchError(
      result.jobId,
      `its total is encrypted under Paillier key ${paillierKeyId(paillierPublicKey(result.n))}, not ${paillierKeyId(privateKey.publicKey)}`,
    )
  return decryptPaillier(privateKey, result.total)
}

/**
 * Waits for the job to complete on chain, fetches the sealed result from the node that
 * ran it, opens it with `key`, and checks it against the chain and its proofs: result
 * hash as recorded, proofs valid, proven commitments forming the dataset root the job
 * named (a sum has no proofs: see recheckSumResult). Throws JobTimeoutError,
 * JobResultMismatchError, NotJobSubmitterError.
 */
export async function awaitJobResult(
  options: AwaitResultOptions,
): Promise<VerifiedStatsResult | VerifiedLinearResult | VerifiedSumResult> {
  const delivered = await awaitDeliveredResult(options)
  if (delivered.job.kind === JOB_KINDS.stats) return checkStatsResult(delivered)
  if (delivered.job.kind === JOB_KINDS.linear) return checkLinearResult(delivered)
  if (delivered.job.kind === JOB_KINDS.sum) return checkSumResult(delivered)
  throw new JobResultMismatchError(options.jobId, `unknown job kind ${delivered.job.kind}`)
}

/** awaitJobResult for a job known to be `stats`. */
export async function awaitStatsResult(options: AwaitResultOptions): Promise<VerifiedStatsResult> {
  const result = await awaitJobResult(options)
  if (result.kind !== 'stats')
    throw new JobResultMismatchError(options.jobId, `it is a ${result.kind} job, not stats`)
  return result
}
