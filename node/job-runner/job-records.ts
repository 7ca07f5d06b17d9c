/**
 * What a node knows of each job it heard of, in its own LevelDB: the phase it is in, the
 * time spent in each, the sealed spec while it is watched, the sealed result once done.
 * Survives restarts, so a result stays retrievable and an interrupted job is handed back.
 * @module
 */

import { Level } from 'level'
import type { JobPhase } from '../../protocol/wire/index.ts'

export interface JobRecord {
  jobId: string
  /** keccak256 of the sealed spec: only a spec matching the chain's job is recorded. */
  specHash?: string
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

export class JobRecords {
  readonly #path: string
  #db: Level<string, string> | undefined
  /** Who waits for a job's record to change (JobRecords.changed), by job id. */
  readonly #waiting = new Map<string, Set<() => void>>()

  constructor(path: string) {
    this.#path = path
  }

  get open(): boolean {
    return this.#db !== undefined
  }

  async start(): Promise<void> {
    if (this.#db) return
    const db = new Level<string, string>(this.#path, { valueEncoding: 'utf8' })
    await db.open()
    this.#db = db
  }

  async stop(): Promise<void> {
    for (const wakes of this.#waiting.values()) for (const wake of wakes) wake()
    this.#waiting.clear()
    await this.#db?.close()
    this.#db = undefined
  }

  /** The job as this node knows it, or undefined. */
  async get(jobId: string): Promise<JobRecord | undefined> {
    const text = await this.#db?.get(jobId)
    return text === undefined ? undefined : (JSON.parse(text) as JobRecord)
  }

  async save(record: JobRecord): Promise<void> {
    await this.#db?.put(record.jobId, JSON.stringify(record))
    const wakes = this.#waiting.get(record.jobId)
    this.#waiting.delete(record.jobId)
    for (const wake of wakes ?? []) wake()
  }

  /**
   * Resolves once the job's record is saved again (a phase entered, a result kept), or
   * after `ms`, whichever comes first; at once if the node is stopping.
   */
  changed(jobId: string, ms: number): Promise<void> {
    if (!this.#db) return Promise.resolve()
    return new Promise(resolve => {
      const wakes = this.#waiting.get(jobId) ?? new Set()
      this.#waiting.set(jobId, wakes)
      const wake = () => {
        clearTimeout(timer)
        wakes.delete(wake)
        if (wakes.size === 0 && this.#waiting.get(jobId) === wakes) this.#waiting.delete(jobId)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      wakes.add(wake)
    })
  }

  /** Moves `record` to `phase`, adding the time spent in the phase it leaves. */
  async enter(record: JobRecord, phase: JobPhase, extra: Partial<JobRecord> = {}): Promise<void> {
    const now = Date.now()
    record.phases[record.phase] = (record.phases[record.phase] ?? 0) + (now - record.phaseStartedAt)
    Object.assign(record, extra, { phase, phaseStartedAt: now })
    await this.save(record)
  }

  /** Every record, in job-id order. */
  async *all(): AsyncGenerator<JobRecord> {
    if (!this.#db) return
    for await (const value of this.#db.values()) yield JSON.parse(value) as JobRecord
  }
}
