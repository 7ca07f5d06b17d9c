/**
 * Retention: shards outlive their project's on-chain retention on no node. The sweeper
 * deletes every shard older than its project's retention and queues a `delete` access
 * record for each, so the ledger shows what went and when.
 * @module
 */
import { identityIdOf, type Ledger } from '../../protocol/ledger/index.ts'
import type { AccessLog } from '../access-log/index.ts'
import { RETENTION_SWEEP_MS } from '../constants.ts'
import type { ShardStore } from '../shard-store/index.ts'

export interface RetentionSweeperInit {
  store: ShardStore
  ledger: Ledger
  accessLog: AccessLog
  /** This node's identity name, recorded as who deleted. */
  node: string
  /** @default 60_000 */
  intervalMs?: number
  onSweepError?(err: unknown): void
  onDeleted?(shardId: string, projectId: string): void
}

export class RetentionSweeper {
  readonly #init: RetentionSweeperInit
  #timer: NodeJS.Timeout | undefined
  #sweeping: Promise<number> | undefined

  constructor(init: RetentionSweeperInit) {
    this.#init = init
  }

  start(): void {
    this.#timer ??= setInterval(
      () => void this.sweep().catch(err => this.#init.onSweepError?.(err)),
      this.#init.intervalMs ?? RETENTION_SWEEP_MS,
    )
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#sweeping?.catch(() => {})
  }

  /** Deletes every expired shard now; returns how many. */
  sweep(now = Date.now()): Promise<number> {
    this.#sweeping ??= this.#sweep(now).finally(() => {
      this.#sweeping = undefined
    })
    return this.#sweeping
  }

  async #sweep(now: number): Promise<number> {
    const { store, ledger, accessLog, node } = this.#init
    const retention = new Map<string, number>()
    const expired: Array<[string, string]> = []
    for await (const [id, meta] of store.entries()) {
      if (!retention.has(meta.projectId))
        retention.set(meta.projectId, await ledger.retention(meta.projectId))
      const seconds = retention.get(meta.projectId)!
      if (seconds > 0 && meta.storedAt + seconds * 1000 <= now) expired.push([id, meta.projectId])
    }
    for (const [id, projectId] of expired) {
      await store.delete(id)
      await accessLog.record({
        projectId,
        objectId: `0x${id}`,
        accessor: identityIdOf(node),
        action: 'delete',
      })
      this.#init.onDeleted?.(id, projectId)
    }
    return expired.length
  }
}
