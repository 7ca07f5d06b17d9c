/**
 * The job runner: takes `stats`, `linear` and `sum` jobs announced on gossipsub for projects
 * this node holds a key for, claims them on chain, fetches and opens the dataset's chunks,
 * proves the result chunk by chunk (a sum is computed, not proven: see compute-job.ts),
 * records it with its proofs (the chain checks them), and keeps
 * the result sealed to the submitter, retrievable over `/sealnet/job/1` across restarts.
 *
 * Every phase has a deadline and is recorded (LevelDB) with the time spent in it. A job
 * this node loses the race for is watched: if it comes back to `submitted` (its node
 * failed it, or its submitter timed it out), this node claims it again.
 * @module
 */
import type { KeyObject } from 'node:crypto'
import { Level } from 'level'
import type { Logger } from 'pino'
import {
  fromBase64,
  importPublicKey,
  projectKeysByVersion,
  sealToPublicKey,
  toBase64,
  utf8,
} from '../../protocol/crypto/index.ts'
import {
  datasetIdOf,
  identityIdOf,
  type Ledger,
  LedgerRevertError,
  projectIdOf,
  requireApprovedModel,
} from '../../protocol/ledger/index.ts'
import { modelCommitment } from '../../protocol/proof/index.ts'
import {
  JOB_TOPIC,
  type JobAnnouncement,
  type JobCircuitSizes,
  type JobPhase,
  type JobSpec,
  JobSpecSchema,
  jobResultPurpose,
  openJson,
  parseAnnouncement,
  readNumericDataset,
  readPaillierDataset,
  type SealnetHost,
  type ShardReader,
  specContext,
} from '../../protocol/wire/index.ts'
import type { KeyVault } from '../key-vault/index.ts'
import { computeJob, type JobInput, ProverCache } from './compute-job.ts'

export interface JobRunnerInit {
  host: SealnetHost
  vault: KeyVault
  ledger: Ledger
  key: { identity: string; privateKey: KeyObject }
  readShard: ShardReader
  /** Folder of the job records' LevelDB database. */
  path: string
  /** Chunk sizes of the circuits the chain's verifiers check. */
  sizes: JobCircuitSizes
  /** Deadline of each phase. @default 120_000 */
  phaseTimeoutMs?: number
  /** How often lost jobs are re-checked. @default 5_000 */
  watchIntervalMs?: number
  log: Logger
}

export interface JobRecord {
  jobId: string
  project: string
  phase: JobPhase
  node: string
  /** Milliseconds spent in each phase reached. */
  phases: Partial<Record<JobPhase, number>>
  phaseStartedAt: number
  submitter?: string
  error?: string
  /** The result sealed to the submitter, base64. */
  result?: string
  /** The sealed spec, kept while the job is watched. */
  spec?: string
}

export class JobAbortedError extends Error {
  static override name = 'JobAbortedError'
  constructor(reason: string) {
    super(reason)
    this.name = JobAbortedError.name
  }
}

const IN_FLIGHT: readonly JobPhase[] = ['assigned', 'fetching', 'proving', 'recording']

export class JobPhaseTimeoutError extends Error {
  static override name = 'JobPhaseTimeoutError'
  constructor(phase: JobPhase, ms: number) {
    super(`phase ${phase} took longer than ${ms} ms`)
    this.name = JobPhaseTimeoutError.name
  }
}

function withTimeout<T>(work: Promise<T>, phase: JobPhase, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobPhaseTimeoutError(phase, ms)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

/** One watch pass in this many reads every watched job; the others only jobs that changed. */
const FULL_PASS_EVERY = 12

export class JobRunner {
  readonly #init: JobRunnerInit
  #db: Level<string, string> | undefined
  readonly #provers = new ProverCache()
  #running = new Map<string, Promise<void>>()
  #watch: NodeJS.Timeout | undefined
  #stopping = false
  #rewatching: Promise<void> | undefined
  /** Watch passes so far, and the first block the next pass reads events from. */
  #passes = 0
  #settledFrom: number | undefined
  /** Jobs whose claim by this node failed before reaching the chain. */
  readonly #unclaimed = new Set<string>()
  #onMessage = (event: CustomEvent<{ topic: string; data: Uint8Array }>) => {
    if (event.detail.topic === JOB_TOPIC) void this.#announced(event.detail.data)
  }

  constructor(init: JobRunnerInit) {
    this.#init = init
  }

  async start(): Promise<void> {
    if (this.#db) return
    const db = new Level<string, string>(this.#init.path, { valueEncoding: 'utf8' })
    await db.open()
    this.#db = db
    this.#stopping = false
    await this.#recover()
    const pubsub = this.#init.host.services.pubsub
    pubsub.subscribe(JOB_TOPIC)
    pubsub.addEventListener('message', this.#onMessage as never)
    this.#watch = setInterval(() => {
      this.#rewatching ??= this.#rewatch()
        .catch(err => this.#init.log.warn({ err: String(err) }, 'job watch failed'))
        .finally(() => {
          this.#rewatching = undefined
        })
    }, this.#init.watchIntervalMs ?? 5_000)
    this.#watch.unref()
  }

  /** Stops taking jobs; a job in flight stops at its next step and is handed back on chain. */
  async stop(): Promise<void> {
    this.#stopping = true
    clearInterval(this.#watch)
    const pubsub = this.#init.host.services.pubsub
    pubsub.removeEventListener('message', this.#onMessage as never)
    await this.#rewatching
    await Promise.allSettled(this.#running.values())
    await this.#db?.close()
    this.#db = undefined
  }

  /** Jobs this node was running when it went down: recorded as failed and handed back on chain. */
  async #recover(): Promise<void> {
    const orphans: JobRecord[] = []
    for await (const value of this.#db!.values()) {
      const record = JSON.parse(value) as JobRecord
      if (IN_FLIGHT.includes(record.phase)) orphans.push(record)
    }
    for (const record of orphans) {
      const reason = `node restarted during ${record.phase}`
      await this.#enter(record, 'failed', { error: reason, spec: undefined })
      const onChain = await this.#init.ledger.job(record.jobId).catch(() => undefined)
      if (
        onChain?.status === 'assigned' &&
        onChain.nodeId === identityIdOf(this.#init.key.identity)
      )
        await this.#init.ledger.failJob(record.jobId, reason).catch(() => {})
    }
  }

  #checkpoint(): void {
    if (this.#stopping)
      throw new JobAbortedError('the node is stopping; the job goes back to the network')
  }

  /** The job as this node knows it, or undefined. */
  async record(jobId: string): Promise<JobRecord | undefined> {
    const text = await this.#db?.get(jobId)
    return text === undefined ? undefined : (JSON.parse(text) as JobRecord)
  }

  async #save(record: JobRecord): Promise<void> {
    await this.#db?.put(record.jobId, JSON.stringify(record))
  }

  async #enter(record: JobRecord, phase: JobPhase, extra: Partial<JobRecord> = {}): Promise<void> {
    const now = Date.now()
    record.phases[record.phase] = (record.phases[record.phase] ?? 0) + (now - record.phaseStartedAt)
    Object.assign(record, extra, { phase, phaseStartedAt: now })
    await this.#save(record)
    this.#init.log.info(
      { jobId: record.jobId, phase, ...(extra.error ? { error: extra.error } : {}) },
      'job phase',
    )
  }

  async #announced(data: Uint8Array): Promise<void> {
    const announcement = parseAnnouncement(data)
    if (!announcement) {
      this.#init.log.debug('ignored a malformed job announcement')
      return
    }
    await this.offer(announcement)
  }

  /**
   * Takes a job announcement (from gossipsub, or handed over on `/sealnet/job/1`): a job of
   * a project this node holds the key of is recorded and claimed, else ignored.
   */
  async offer(announcement: JobAnnouncement): Promise<void> {
    const known = this.#running.has(announcement.jobId) || (await this.record(announcement.jobId))
    this.#init.log.debug({ jobId: announcement.jobId, known: Boolean(known) }, 'job announced')
    if (known) return
    let key: Awaited<ReturnType<KeyVault['projectKey']>>
    try {
      key = await this.#init.vault.projectKey(announcement.project)
    } catch {
      return // not a project this node serves
    }
    let spec: JobSpec
    try {
      spec = JobSpecSchema.parse(
        openJson(
          key,
          specContext(announcement.project, announcement.jobId),
          fromBase64(announcement.spec, 'spec'),
        ),
      )
    } catch (err) {
      this.#init.log.warn(
        { jobId: announcement.jobId, err: String(err) },
        'job spec does not open with the project key',
      )
      return
    } finally {
      key.key.fill(0)
    }
    if (spec.jobId !== announcement.jobId || spec.project !== announcement.project) return
    const record: JobRecord = {
      jobId: spec.jobId,
      project: spec.project,
      phase: 'announced',
      node: this.#init.key.identity,
      phases: {},
      phaseStartedAt: Date.now(),
      submitter: spec.submitter,
      spec: announcement.spec,
    }
    await this.#save(record)
    this.#start(record, spec)
  }

  #start(record: JobRecord, spec: JobSpec): void {
    const run = this.#run(record, spec)
      // a claim that failed to reach the chain leaves the job watched, to be tried again
      .catch(err =>
        this.#init.log.warn({ jobId: record.jobId, err: String(err) }, 'job claim failed'),
      )
      .finally(() => this.#running.delete(record.jobId))
    this.#running.set(record.jobId, run)
  }

  /**
   * Claims jobs this node watched that came back to `submitted`. A pass reads only the
   * watched jobs the chain saw handed back or completed since the last pass, and those
   * this node failed to claim; every FULL_PASS_EVERY passes (and the first) it reads them
   * all. With many jobs watched by many nodes, reading every job every pass was most of
   * the chain's load (the load test: 30 nodes, 100 jobs).
   */
  async #rewatch(): Promise<void> {
    if (!this.#db) return
    const full = this.#settledFrom === undefined || this.#passes % FULL_PASS_EVERY === 0
    this.#passes++
    const settled = await this.#init.ledger.jobsSettledSince(
      full ? Number.MAX_SAFE_INTEGER : this.#settledFrom!,
    )
    for await (const value of this.#db.values()) {
      if (this.#stopping) return
      const record = JSON.parse(value) as JobRecord
      if (record.phase !== 'announced' || this.#running.has(record.jobId) || !record.spec) continue
      const id = record.jobId.toLowerCase()
      if (!full && !settled.jobIds.has(id) && !this.#unclaimed.has(id)) continue
      this.#unclaimed.delete(id)
      const onChain = await this.#init.ledger.job(record.jobId).catch(() => undefined)
      this.#init.log.debug({ jobId: record.jobId, status: onChain?.status }, 'watched job')
      if (onChain?.status === 'completed' || onChain?.status === 'cancelled') {
        // done elsewhere, or withdrawn by its submitter: stop watching
        await this.#save({ ...record, spec: undefined })
        continue
      }
      if (onChain?.status !== 'submitted') continue
      const key = await this.#init.vault.projectKey(record.project)
      try {
        const spec = openJson(
          key,
          specContext(record.project, record.jobId),
          fromBase64(record.spec, 'spec'),
        )
        this.#start(record, JobSpecSchema.parse(spec))
      } finally {
        key.key.fill(0)
      }
    }
    this.#settledFrom = settled.toBlock + 1
  }

  async #run(record: JobRecord, spec: JobSpec): Promise<void> {
    const { ledger, key } = this.#init
    const ms = this.#init.phaseTimeoutMs ?? 120_000
    try {
      await ledger.assignJob(spec.jobId, key.identity)
    } catch (err) {
      if (err instanceof LedgerRevertError) {
        // another node has it (or it is done): keep watching in case it comes back
        this.#init.log.debug({ jobId: spec.jobId, reason: err.reason }, 'job taken elsewhere')
        return
      }
      // the claim never reached the chain: the next watch pass tries again
      this.#unclaimed.add(spec.jobId.toLowerCase())
      throw err
    }
    await this.#enter(record, 'assigned', { error: undefined })
    try {
      this.#checkpoint()
      await this.#enter(record, 'fetching')
      if (spec.kind === 'linear')
        await requireApprovedModel(
          ledger,
          projectIdOf(spec.project),
          await modelCommitment(
            { weights: spec.model.weights.map(BigInt), bias: BigInt(spec.model.bias) },
            BigInt(spec.modelSalt),
          ),
        )
      const input = await withTimeout(this.#fetch(spec), 'fetching', ms)
      this.#checkpoint()
      await this.#enter(record, 'proving')
      const computed = await withTimeout(
        computeJob(spec, input, this.#init.sizes, this.#provers),
        'proving',
        ms,
      )
      this.#checkpoint()
      await this.#enter(record, 'recording')
      await withTimeout(
        ledger.completeJob(spec.jobId, computed.resultHash, computed.proof, []),
        'recording',
        ms,
      )
      const submitter = await ledger.identity(spec.submitter)
      if (!submitter) throw new Error(`submitter ${spec.submitter} is not registered`)
      const result = computed.result
      const box = sealToPublicKey(
        importPublicKey(submitter.publicKey),
        utf8(JSON.stringify(result)),
        jobResultPurpose(spec.jobId),
      )
      this.#init.log.info({ jobId: spec.jobId, kind: spec.kind }, 'job completed on chain')
      await this.#enter(record, 'delivered', { result: toBase64(box), spec: undefined })
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
      const onChain = await ledger.job(spec.jobId).catch(() => undefined)
      const ours =
        !onChain || (onChain.status === 'assigned' && onChain.nodeId === identityIdOf(key.identity))
      if (!ours && !this.#stopping) {
        // its submitter took it back (judged this node too slow): watch it, as a lost race
        await this.#enter(record, 'announced', { error: `taken back during ${record.phase}` })
        return
      }
      await this.#enter(record, 'failed', { error: reason, spec: undefined })
      // hand the job back so another node can take it
      if (ours) await ledger.failJob(spec.jobId, reason.slice(0, 200)).catch(() => {})
    }
  }

  /** Opens the job's dataset, or each dataset of a sum. */
  async #fetch(spec: JobSpec): Promise<JobInput> {
    const keys = projectKeysByVersion(version => this.#init.vault.projectKey(spec.project, version))
    const source = async (dataset: string, manifest: JobSpec['manifest']) => ({
      keyFor: keys.keyFor,
      project: spec.project,
      dataset,
      manifest,
      committedRoot: await this.#init.ledger.datasetRoot(
        projectIdOf(spec.project),
        datasetIdOf(dataset),
      ),
      readShard: this.#init.readShard,
    })
    try {
      if (spec.kind !== 'sum')
        return {
          kind: 'numeric',
          dataset: await readNumericDataset(await source(spec.dataset, spec.manifest)),
        }
      const datasets = []
      for (const input of [{ dataset: spec.dataset, manifest: spec.manifest }, ...spec.more])
        datasets.push(await readPaillierDataset(await source(input.dataset, input.manifest)))
      return { kind: 'paillier', datasets }
    } finally {
      keys.release()
    }
  }
}
