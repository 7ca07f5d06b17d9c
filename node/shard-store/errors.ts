/** Typed errors of the shard store. */

export class ShardNotFoundError extends Error {
  static override name = 'ShardNotFoundError'
  constructor(id: string) {
    super(`No shard ${id} on this node`)
    this.name = ShardNotFoundError.name
  }
}

/** The bytes on disk no longer hash to the shard's id: reported, never served. */
export class CorruptShardError extends Error {
  static override name = 'CorruptShardError'
  constructor(id: string) {
    super(
      `Shard ${id} is corrupt on this node's disk (its bytes no longer hash to its id); it was not served`,
    )
    this.name = CorruptShardError.name
  }
}

export class InvalidShardIdError extends Error {
  static override name = 'InvalidShardIdError'
  constructor(id: string) {
    super(
      `"${id.slice(0, 80)}" is not a shard id (64 lowercase hex characters, the SHA-256 of the shard)`,
    )
    this.name = InvalidShardIdError.name
  }
}

export class QuotaExceededError extends Error {
  static override name = 'QuotaExceededError'
  constructor(size: number, used: number, limit: number) {
    super(
      `A ${size}-byte shard does not fit: ${used} of ${limit} bytes are used; nothing was written`,
    )
    this.name = QuotaExceededError.name
  }
}

export class StoreNotStartedError extends Error {
  static override name = 'StoreNotStartedError'
  constructor() {
    super('This store is not started: call start() first')
    this.name = StoreNotStartedError.name
  }
}
