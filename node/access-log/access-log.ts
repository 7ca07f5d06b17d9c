/**
 * Access records, batched onto the ledger. Every shard read, write and delete is written
 * to a local LevelDB queue first (so a restart or a chain outage loses nothing), then
 * flushed per project as one `recordAccessBatch` transaction with its Merkle root.
 * Records the ledger will never take (the node's grant was revoked, the project is gone)
 * move to a dead-letter keyspace, kept for the operator, instead of being retried forever.
 * @module
 */
import { Level } from 'level'
import {
  ACCESS_ACTIONS,
  type AccessRecordInput,
  type Ledger,
  LedgerRevertError,
} from '../../protocol/ledger/index.ts'
import { ACCESS_BATCHES_PER_PROJECT_HOUR, ACCESS_FLUSH_MS, MAX_ACCESS_BATCH } from '../constants.ts'
import { StoreNotStartedError } from '../shard-store/errors.ts'

export interface AccessLogInit {
  /** Folder of the queue's LevelDB database. */
  path: string
  ledger: Ledger
  /** This node's identity name (the batch's recorder). */
  node: string
  /** @default 5_000 */
  flushIntervalMs?: number
  /** Records per transaction. @default 256 */
  maxBatch?: number
  /**
   * Access-batch transactions one project may cost this node an hour (its gas budget):
   * past it, that project's records wait, in fuller batches, and other projects go on.
   * @default ACCESS_BATCHES_PER_PROJECT_HOUR
   */
  maxBatchesPerHour?: number
  /** Told when a flush fails; the records stay queued. */
  onFlushError?(err: unknown): void
}

export interface AccessEvent {
  projectId: string
  /** bytes32 hex of what was accessed (a shard id, 0x-prefixed). */
  objectId: string
  /** bytes32 hex identity id of who accessed it. */
  accessor: string
  action: keyof typeof ACCESS_ACTIONS
}

/** Reverts that no retry can fix: the records go to the dead letters. */
const PERMANENT = new Set(['ProjectsNodeNotAuthorized', 'ProjectsUnknown'])
/** This node's grant was revoked: its deletions are still recorded, nothing else. */
const ONLY_DELETIONS = 'ProjectsRevokedNodeRecordsOnlyDeletions'
/** Queued records have numeric keys; dead letters sort after every one of them. */
const DEAD = 'dead/'
const QUEUED = { lt: DEAD }

interface Queued {
  projectId: string
  record: { objectId: string; accessor: string; action: number; at: number }
}

export class AccessLog {
  readonly #init: AccessLogInit
  #db: Level<string, string> | undefined
  #sequence = 0
  #timer: NodeJS.Timeout | undefined
  #flushing: Promise<number> | undefined
  /** The flush that follows the running one, shared by every caller meanwhile. */
  #followUp: Promise<number> | undefined
  #recorded = 0
  /** Per project, when each batch of the last hour was sent. */
  readonly #sentAt = new Map<string, number[]>()

  constructor(init: AccessLogInit) {
    this.#init = init
  }

  async start(): Promise<void> {
    if (this.#db) return
    const db = new Level<string, string>(this.#init.path, { valueEncoding: 'utf8' })
    await db.open()
    for await (const key of db.keys({ ...QUEUED, reverse: true, limit: 1 }))
      this.#sequence = Number(key) + 1
    this.#db = db
    this.#timer = setInterval(
      () => void this.flush().catch(() => {}),
      this.#init.flushIntervalMs ?? ACCESS_FLUSH_MS,
    )
    this.#timer.unref()
  }

  /** Flushes what it can, then closes; anything unflushed waits for the next start. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.flush().catch(() => {})
    await this.#db?.close()
    this.#db = undefined
  }

  #open(): Level<string, string> {
    if (!this.#db) throw new StoreNotStartedError()
    return this.#db
  }

  /** Queues one access (durably) for the next flush. */
  async record(event: AccessEvent): Promise<void> {
    const queued: Queued = {
      projectId: event.projectId,
      record: {
        objectId: event.objectId,
        accessor: event.accessor,
        action: ACCESS_ACTIONS[event.action],
        at: Math.floor(Date.now() / 1000),
      },
    }
    await this.#open().put(String(this.#sequence++).padStart(16, '0'), JSON.stringify(queued))
  }

  /** Records queued but not yet on chain. */
  async pending(): Promise<number> {
    let count = 0
    for await (const _ of this.#open().keys(QUEUED)) count++
    return count
  }

  /** Records the ledger refused for good (see PERMANENT), kept for the operator. */
  async deadLetters(): Promise<Array<Queued & { error: string }>> {
    const out = []
    for await (const value of this.#open().values({ gte: DEAD, lt: 'dead0' }))
      out.push(JSON.parse(value) as Queued & { error: string })
    return out
  }

  /** Whether `projectId` may have another batch sent this hour. */
  #withinBudget(projectId: string): boolean {
    const hourAgo = Date.now() - 3_600_000
    const recent = (this.#sentAt.get(projectId) ?? []).filter(at => at > hourAgo)
    this.#sentAt.set(projectId, recent)
    return recent.length < (this.#init.maxBatchesPerHour ?? ACCESS_BATCHES_PER_PROJECT_HOUR)
  }

  /** Records this log has put on chain since it started. */
  get recorded(): number {
    return this.#recorded
  }

  /**
   * Sends queued records, one transaction per project and batch; returns how many. Every
   * record queued before the call is sent (or kept, if its batch failed) once it resolves.
   */
  flush(): Promise<number> {
    if (!this.#flushing) {
      this.#flushing = this.#flush().finally(() => {
        this.#flushing = undefined
      })
      return this.#flushing
    }
    // the running flush read the queue before some of the caller's records: one more follows
    this.#followUp ??= this.#flushing
      .catch(() => 0)
      .then(() => {
        this.#followUp = undefined
        return this.flush()
      })
    return this.#followUp
  }

  async #flush(): Promise<number> {
    const db = this.#open()
    const maxBatch = this.#init.maxBatch ?? MAX_ACCESS_BATCH
    const batches = new Map<string, { keys: string[]; records: AccessRecordInput[] }>()
    const failed = new Set<string>()
    let sent = 0
    const send = async (projectId: string) => {
      const batch = batches.get(projectId)!
      batches.delete(projectId)
      if (!this.#withinBudget(projectId)) {
        // this project spent its hour's gas: its records stay queued for a later flush
        failed.add(projectId)
        return
      }
      try {
        await this.#init.ledger.recordAccessBatch(projectId, this.#init.node, batch.records)
      } catch (err) {
        this.#init.onFlushError?.(err)
        const revoked = err instanceof LedgerRevertError && err.reason === ONLY_DELETIONS
        if (revoked || (err instanceof LedgerRevertError && PERMANENT.has(err.reason))) {
          // a revoked node's deletions are kept and sent on their own; the rest is dead
          const entries = batch.keys.map((key, i) => ({ key, record: batch.records[i]! }))
          const keep = (e: (typeof entries)[number]) =>
            revoked && e.record.action === ACCESS_ACTIONS.delete
          const dead = entries.filter(e => !keep(e))
          const kept = entries.filter(keep)
          await db.batch(
            dead.flatMap(({ key, record }) => [
              { type: 'del' as const, key },
              {
                type: 'put' as const,
                key: `${DEAD}${key}`,
                value: JSON.stringify({ projectId, record, error: err.reason }),
              },
            ]),
          )
          // deletions alone can't be refused this way again, so this sends once more at most
          if (kept.length > 0 && dead.length > 0) {
            batches.set(projectId, { keys: kept.map(k => k.key), records: kept.map(k => k.record) })
            await send(projectId)
          }
          return
        }
        // keep the records; stop trying this project until the next flush
        failed.add(projectId)
        return
      }
      this.#sentAt.get(projectId)!.push(Date.now())
      await db.batch(batch.keys.map(key => ({ type: 'del' as const, key })))
      sent += batch.records.length
      this.#recorded += batch.records.length
    }
    for await (const [key, value] of db.iterator(QUEUED)) {
      const queued = JSON.parse(value) as Queued
      if (failed.has(queued.projectId)) continue
      const batch = batches.get(queued.projectId) ?? { keys: [], records: [] }
      batch.keys.push(key)
      batch.records.push(queued.record)
      batches.set(queued.projectId, batch)
      if (batch.records.length === maxBatch) await send(queued.projectId)
    }
    for (const projectId of [...batches.keys()]) await send(projectId)
    return sent
  }
}
