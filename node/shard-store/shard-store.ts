/**
 * A node's shard store: ciphertext shards in LevelDB, content-addressed by SHA-256.
 *
 * - Shard and metadata are written in one LevelDB batch, which is atomic (write-ahead
 *   log): a crash leaves the whole shard or nothing.
 * - Every read re-hashes the bytes; a shard whose bytes changed on disk is reported
 *   with CorruptShardError and never served (another replica serves it).
 * - The node never sees plaintext: shards are sealed envelopes; this store only knows
 *   their project, for authorization and retention.
 * @module
 */
import { createHash } from 'node:crypto'
import { Level } from 'level'
import {
  CorruptShardError,
  InvalidShardIdError,
  QuotaExceededError,
  ShardNotFoundError,
  StoreNotStartedError,
} from './errors.ts'

export interface ShardStoreInit {
  /** Folder of the LevelDB database. */
  path: string
  /** Bytes of shards this node accepts. @default Infinity */
  maxBytes?: number
  /** Bytes of shards this node accepts for any one project, so no project fills it for the others. @default Infinity */
  maxBytesPerProject?: number
}

export interface ShardMeta {
  projectId: string
  size: number
  /** Unix milliseconds. */
  storedAt: number
}

export interface ShardStoreStats {
  shards: number
  bytes: number
}

const SHARD = 's!'
const META = 'm!'
const ID_PATTERN = /^[0-9a-f]{64}$/

export function shardId(shard: Uint8Array): string {
  return createHash('sha256').update(shard).digest('hex')
}

function assertId(id: string): void {
  if (!ID_PATTERN.test(id)) throw new InvalidShardIdError(id)
}

/**
 * @example
 * const store = new ShardStore({ path: 'data/shards' }); await store.start()
 * const id = await store.put(envelope, { projectId }); const same = await store.get(id)
 */
export class ShardStore {
  readonly path: string
  readonly maxBytes: number
  readonly maxBytesPerProject: number
  #db: Level<string, Uint8Array> | undefined
  #stats: ShardStoreStats = { shards: 0, bytes: 0 }
  /** Bytes stored per project. */
  readonly #projectBytes = new Map<string, number>()

  constructor(init: ShardStoreInit) {
    this.path = init.path
    this.maxBytes = init.maxBytes ?? Number.POSITIVE_INFINITY
    this.maxBytesPerProject = init.maxBytesPerProject ?? Number.POSITIVE_INFINITY
  }

  /** Bytes stored for `projectId`. */
  projectBytes(projectId: string): number {
    return this.#projectBytes.get(projectId) ?? 0
  }

  #count(projectId: string, bytes: number): void {
    const total = this.projectBytes(projectId) + bytes
    if (total === 0) this.#projectBytes.delete(projectId)
    else this.#projectBytes.set(projectId, total)
  }

  /** Opens the database and counts what it holds. */
  async start(): Promise<void> {
    if (this.#db) return
    const db = new Level<string, Uint8Array>(this.path, { valueEncoding: 'view' })
    await db.open()
    const stats = { shards: 0, bytes: 0 }
    this.#projectBytes.clear()
    for await (const value of db.values({ gte: META, lt: `${META}\xff` })) {
      const meta = JSON.parse(Buffer.from(value).toString('utf8')) as ShardMeta
      stats.shards++
      stats.bytes += meta.size
      this.#count(meta.projectId, meta.size)
    }
    this.#db = db
    this.#stats = stats
  }

  async stop(): Promise<void> {
    await this.#db?.close()
    this.#db = undefined
  }

  #open(): Level<string, Uint8Array> {
    if (!this.#db) throw new StoreNotStartedError()
    return this.#db
  }

  /** Stores a shard (a no-op if it is already here) and returns its id. */
  async put(shard: Uint8Array, meta: { projectId: string }): Promise<string> {
    const db = this.#open()
    const id = shardId(shard)
    if (await this.has(id)) return id
    if (this.#stats.bytes + shard.length > this.maxBytes)
      throw new QuotaExceededError(shard.length, this.#stats.bytes, this.maxBytes)
    const used = this.projectBytes(meta.projectId)
    if (used + shard.length > this.maxBytesPerProject)
      throw new QuotaExceededError(shard.length, used, this.maxBytesPerProject, 'this project')
    const record: ShardMeta = {
      projectId: meta.projectId,
      size: shard.length,
      storedAt: Date.now(),
    }
    await db.batch([
      { type: 'put', key: SHARD + id, value: shard },
      { type: 'put', key: META + id, value: Buffer.from(JSON.stringify(record)) },
    ])
    this.#stats = { shards: this.#stats.shards + 1, bytes: this.#stats.bytes + shard.length }
    this.#count(meta.projectId, shard.length)
    return id
  }

  /** The shard's bytes, checked against its id. Throws ShardNotFoundError or CorruptShardError. */
  async get(id: string): Promise<Uint8Array> {
    assertId(id)
    const shard = await this.#open().get(SHARD + id)
    if (shard === undefined) throw new ShardNotFoundError(id)
    if (shardId(shard) !== id) throw new CorruptShardError(id)
    return shard
  }

  async has(id: string): Promise<boolean> {
    assertId(id)
    return (await this.#open().get(META + id)) !== undefined
  }

  /** What the store knows of a shard, without reading it. */
  async meta(id: string): Promise<ShardMeta> {
    assertId(id)
    const value = await this.#open().get(META + id)
    if (value === undefined) throw new ShardNotFoundError(id)
    return JSON.parse(Buffer.from(value).toString('utf8')) as ShardMeta
  }

  /** Deletes a shard and its metadata in one batch. Throws ShardNotFoundError if absent. */
  async delete(id: string): Promise<void> {
    const { size, projectId } = await this.meta(id)
    await this.#open().batch([
      { type: 'del', key: SHARD + id },
      { type: 'del', key: META + id },
    ])
    this.#stats = { shards: this.#stats.shards - 1, bytes: this.#stats.bytes - size }
    this.#count(projectId, -size)
  }

  /** Every stored shard's id and metadata, without reading the shards. */
  async *entries(): AsyncGenerator<[string, ShardMeta]> {
    for await (const [key, value] of this.#open().iterator({ gte: META, lt: `${META}\xff` })) {
      yield [key.slice(META.length), JSON.parse(Buffer.from(value).toString('utf8')) as ShardMeta]
    }
  }

  /** Ids of the stored shards, of one project if given. */
  async list(projectId?: string): Promise<string[]> {
    const ids: string[] = []
    for await (const [id, meta] of this.entries()) {
      if (projectId === undefined || meta.projectId === projectId) ids.push(id)
    }
    return ids
  }

  stats(): ShardStoreStats {
    return { ...this.#stats }
  }
}
