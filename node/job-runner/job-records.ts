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

/** Phases in which the job is this node's: a restart mid-way must hand it back. */
export const IN_FLIGHT: readonly JobPhase[] = ['assigned', 'fetching', 'proving', 'recording']

export class JobRecords {
  readonly #path: string
  #db: Level<string, string> | undefined

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
