/**
 * The job runner: takes the jobs (every kind of protocol/job-kinds) announced on gossipsub for projects
 * this node holds a key for, claims them on chain, fetches and opens the dataset's chunks,
 * proves the result chunk by chunk (a sum is computed, not proven: see node/job-kinds),
 * records it with its proofs (the chain checks them), and keeps
 * the result sealed to the submitter, retrievable over `/sealnet/job/1` across restarts.
 *
 * Every phase has a deadline and is recorded (LevelDB) with the time spent in it. A job
 * this node loses the race for is watched: if it comes back to `submitted` (its node
 * failed it, or its submitter timed it out), this node claims it again.
 * @module
 */

import type { KeyObject } from 'node:crypto'
import { keccak256 } from 'ethers'
import type { Logger } from 'pino'
import {
  fromBase64,
  importPublicKey,
  type ProjectKey,
  sealToPublicKey,
  toBase64,
  utf8,
} from '../../protocol/crypto/index.ts'
import { type JobSpec, JobSpecSchema, specModelCommitment } from '../../protocol/job-kinds/index.ts'
import {
  identityIdOf,
  type Ledger,
  LedgerRevertError,
  projectIdOf,
  requireApprovedModel,
} from '../../protocol/ledger/index.ts'
import {
  JOB_TOPIC,
  JOB_WORKING_PHASES,
  type JobAnnouncement,
  type JobCircuitSizes,
  type JobPhase,
  jobFailureReason,
  jobResultPurpose,
  MAX_JOB_RESULT_BYTES,
  openJson,
  type PeerClient,
  parseAnnouncement,
  RequestRefusedError,
  type SealnetHost,
  type ShardReader,
  specContext,
} from '../../protocol/wire/index.ts'
import {
  JOB_FULL_PASS_EVERY,
  JOB_PHASE_TIMEOUT_MS,
  JOB_WATCH_INTERVAL_MS,
  RESULT_COPIES,
  SEALED_RESULT_MARGIN,
} from '../constants.ts'
import { computeJob, ProverCache } from '../job-kinds/index.ts'
import { type KeyVault, ProjectKeyNotHeldError } from '../key-vault/index.ts'
import { JobAbortedError, ResultTooLargeError, withTimeout } from './errors.ts'
import { fetchJobInput } from './fetch-job-input.ts'
import { jobSpecMismatch } from './job-on-chain.ts'
import { type JobRecord, JobRecords } from './job-records.ts'

export interface JobRunnerInit {
  host: SealnetHost
  vault: KeyVault
  ledger: Ledger
  key: { identity: string; privateKey: KeyObject }
  readShard: ShardReader
  /** Talks to other nodes as this node (copies of results). */
  peers: PeerClient
  /** Folder of the job records' LevelDB database. */
  path: string
  /** Chunk sizes of the circuits the chain's verifiers check. */
  sizes: JobCircuitSizes
  /** Deadline of each phase. @default 120_000 */
  phaseTimeoutMs?: number
  /** How often lost jobs are re-checked. @default 5_000 */
  watchIntervalMs?: number
  /** Told of each announcement that is not the job the chain recorded (it is ignored). */
  onRefusedAnnouncement?: (jobId: string, why: string) => void
  log: Logger
}

export class JobRunner {
  readonly #init: JobRunnerInit
  readonly #records: JobRecords
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
    this.#records = new JobRecords(init.path)
  }

  async start(): Promise<void> {
    if (this.#records.open) return
    await this.#records.start()
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
    }, this.#init.watchIntervalMs ?? JOB_WATCH_INTERVAL_MS)
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
    await this.#records.stop()
  }

  /** Jobs this node was running when it went down: recorded as failed and handed back on chain. */
  async #recover(): Promise<void> {
    const orphans: JobRecord[] = []
    for await (const record of this.#records.all())
      if (JOB_WORKING_PHASES.includes(record.phase)) orphans.push(record)
    for (const record of orphans) {
      const reason = jobFailureReason(new JobAbortedError(`node restarted during ${record.phase}`))
      await this.#enter(record, 'failed', { error: reason, spec: undefined })
      const onChain = await this.#init.ledger.job(record.jobId).catch(() => undefined)
      if (
        onChain?.status === 'assigned' &&
        onChain.nodeId === identityIdOf(this.#init.key.identity)
      )
        await this.#init.ledger.failJob(record.jobId, reason).catch(() => {})
    }
  }

  /**
   * The project key of the version the chain grants this node, never "the latest held":
   * a node whose grant was revoked opens no new job.
   */
  async #grantedKey(project: string): Promise<ProjectKey> {
    const { keyVersion } = await this.#init.ledger.grantOf(
      projectIdOf(project),
      this.#init.key.identity,
    )
    if (keyVersion === 0) throw new ProjectKeyNotHeldError(project)
    return this.#init.vault.projectKey(project, keyVersion)
  }

  #checkpoint(): void {
    if (this.#stopping)
      throw new JobAbortedError('the node is stopping; the job goes back to the network')
  }

  /** The job as this node knows it, or undefined. */
  record(jobId: string): Promise<JobRecord | undefined> {
    return this.#records.get(jobId)
  }

  /**
   * The job's record once it has left `phase` (or at once if it is not in it), waiting at
   * most `ms`: a waiting submitter hears of a change when it happens instead of polling.
   */
  async recordAfter(jobId: string, phase: JobPhase, ms: number): Promise<JobRecord | undefined> {
    const deadline = Date.now() + ms
    for (;;) {
      const record = await this.#records.get(jobId)
      const left = deadline - Date.now()
      if (!record || record.phase !== phase || left <= 0) return record
      await this.#records.changed(jobId, left)
    }
  }

  async #enter(record: JobRecord, phase: JobPhase, extra: Partial<JobRecord> = {}): Promise<void> {
    await this.#records.enter(record, phase, extra)
    this.#init.log.info(
      { jobId: record.jobId, phase, ...(extra.error ? { error: extra.error } : {}) },
      'job phase',
    )
  }

  /**
   * Copies a delivered result (sealed to the submitter: the copies can't read it) to up to
   * RESULT_COPIES other nodes holding the job's dataset, so `job result` works after this
   * node is gone. Best effort: the result stays here whatever the copies do.
   */
  async #copyResult(spec: JobSpec, sealed: Uint8Array): Promise<void> {
    const self = this.#init.key.identity
    const others = spec.manifest.holders.filter(h => h.identity !== self).slice(0, RESULT_COPIES)
    const job = { jobId: spec.jobId, project: spec.project, submitter: spec.submitter }
    const copied = await Promise.allSettled(
      others.map(h => this.#init.peers.keepJobResult(h.peerId, job, sealed)),
    )
    const held = others.filter((_, i) => copied[i]!.status === 'fulfilled').map(h => h.identity)
    this.#init.log.info({ jobId: spec.jobId, copies: held }, 'job result copied')
  }

  /**
   * Keeps a copy of a completed job's sealed result, handed over by `from`: only when the
   * chain says `from` completed the job, the project and submitter are the job's, and this
   * node serves the project. The copy then answers `status` as the node that ran it would.
   */
  async keepResult(
    from: string,
    job: { jobId: string; project: string; submitter: string },
    sealed: Uint8Array,
  ): Promise<void> {
    const { ledger } = this.#init
    const onChain = await ledger.job(job.jobId)
    if (onChain?.status !== 'completed' || onChain.nodeId !== identityIdOf(from))
      throw new RequestRefusedError(
        'unauthorized',
        `the chain does not say ${from} completed job ${job.jobId}`,
      )
    const submitter = await ledger.identity(job.submitter)
    if (
      onChain.projectId !== projectIdOf(job.project) ||
      submitter?.controller.toLowerCase() !== onChain.submitter.toLowerCase()
    )
      throw new RequestRefusedError(
        'malformed',
        `job ${job.jobId} is not of that project and submitter`,
      )
    const key = await this.#grantedKey(job.project).catch(() => undefined)
    if (!key)
      throw new RequestRefusedError('no-grant', `this node does not serve project ${job.project}`)
    key.key.fill(0)
    const known = await this.record(job.jobId)
    if (known?.result) return
    await this.#records.save({
      jobId: job.jobId,
      project: job.project,
      phase: 'delivered',
      node: from,
      phases: known?.phases ?? {},
      phaseStartedAt: Date.now(),
      submitter: job.submitter,
      result: toBase64(sealed),
    })
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
    const key = await this.#grantedKey(announcement.project).catch(() => undefined)
    if (!key) return // not a project this node serves (or no longer)
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
    const sealed = fromBase64(announcement.spec, 'spec')
    const mismatch = await jobSpecMismatch(this.#init.ledger, spec, sealed).catch(
      err => `the chain could not be read (${String(err)})`,
    )
    if (mismatch) {
      // not claimed and not recorded, so the real announcement of this job id still counts
      this.#init.log.warn({ jobId: spec.jobId, mismatch }, 'job announcement refused')
      this.#init.onRefusedAnnouncement?.(spec.jobId, mismatch)
      return
    }
    const record: JobRecord = {
      specHash: keccak256(sealed),
      jobId: spec.jobId,
      project: spec.project,
      phase: 'announced',
      node: this.#init.key.identity,
      phases: {},
      phaseStartedAt: Date.now(),
      submitter: spec.submitter,
      spec: announcement.spec,
    }
    await this.#records.save(record)
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
   * this node failed to claim; every JOB_FULL_PASS_EVERY passes (and the first) it reads them
   * all. With many jobs watched by many nodes, reading every job every pass was most of
   * the chain's load (the load test: 30 nodes, 100 jobs).
   */
  async #rewatch(): Promise<void> {
    if (!this.#records.open) return
    const full = this.#settledFrom === undefined || this.#passes % JOB_FULL_PASS_EVERY === 0
    this.#passes++
    const settled = await this.#init.ledger.jobsSettledSince(
      full ? Number.MAX_SAFE_INTEGER : this.#settledFrom!,
    )
    for await (const record of this.#records.all()) {
      if (this.#stopping) return
      if (record.phase !== 'announced' || this.#running.has(record.jobId) || !record.spec) continue
      const id = record.jobId.toLowerCase()
      if (!full && !settled.jobIds.has(id) && !this.#unclaimed.has(id)) continue
      this.#unclaimed.delete(id)
      const onChain = await this.#init.ledger.job(record.jobId).catch(() => undefined)
      this.#init.log.debug({ jobId: record.jobId, status: onChain?.status }, 'watched job')
      if (onChain?.status === 'completed' || onChain?.status === 'cancelled') {
        // done elsewhere, or withdrawn by its submitter: stop watching
        await this.#records.save({ ...record, spec: undefined })
        continue
      }
      if (onChain?.status !== 'submitted') continue
      const key = await this.#grantedKey(record.project)
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
    const ms = this.#init.phaseTimeoutMs ?? JOB_PHASE_TIMEOUT_MS
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
      if (spec.kind === 'linear' || spec.kind === 'mlp')
        await requireApprovedModel(
          ledger,
          projectIdOf(spec.project),
          await specModelCommitment(spec),
        )
      if (spec.kind === 'onnx')
        await requireApprovedModel(
          ledger,
          projectIdOf(spec.project),
          BigInt(`0x${spec.model.sha256}`),
        )
      const input = await withTimeout(fetchJobInput(spec, this.#init), 'fetching', ms)
      this.#checkpoint()
      await this.#enter(record, 'proving')
      const computed = await withTimeout(
        computeJob(spec, input, this.#init.sizes, this.#provers),
        'proving',
        ms,
      )
      this.#checkpoint()
      // a result its submitter could never receive must not be recorded as delivered
      const resultBytes = utf8(JSON.stringify(computed.result))
      const limit = MAX_JOB_RESULT_BYTES - SEALED_RESULT_MARGIN
      if (resultBytes.length > limit) throw new ResultTooLargeError(resultBytes.length, limit)
      await this.#enter(record, 'recording')
      await withTimeout(
        ledger.completeJob(
          spec.jobId,
          computed.resultHash,
          computed.proof,
          computed.publicSignals ?? [],
        ),
        'recording',
        ms,
      )
      const submitter = await ledger.identity(spec.submitter)
      if (!submitter) throw new Error(`submitter ${spec.submitter} is not registered`)
      const box = sealToPublicKey(
        importPublicKey(submitter.publicKey),
        resultBytes,
        jobResultPurpose(spec.jobId),
      )
      this.#init.log.info({ jobId: spec.jobId, kind: spec.kind }, 'job completed on chain')
      await this.#enter(record, 'delivered', { result: toBase64(box), spec: undefined })
      await this.#copyResult(spec, box)
    } catch (err) {
      const reason = jobFailureReason(err)
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
      if (ours) await ledger.failJob(spec.jobId, reason).catch(() => {})
    }
  }
}
