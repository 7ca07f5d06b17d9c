/** Typed errors of the shard store. */

import { SealnetError } from '../../protocol/sealnet-error.ts'

export class ShardNotFoundError extends SealnetError {
  readonly code = 'shard-not-found'
  constructor(id: string) {
    super(`No shard ${id} on this node`)
  }
}

/** The bytes on disk no longer hash to the shard's id: reported, never served. */
export class CorruptShardError extends SealnetError {
  readonly code = 'corrupt-shard'
  constructor(id: string) {
    super(
      `Shard ${id} is corrupt on this node's disk (its bytes no longer hash to its id); it was not served`,
    )
  }
}

export class InvalidShardIdError extends SealnetError {
  readonly code = 'invalid-shard-id'
  constructor(id: string) {
    super(
      `"${id.slice(0, 80)}" is not a shard id (64 lowercase hex characters, the SHA-256 of the shard)`,
    )
  }
}

export class QuotaExceededError extends SealnetError {
  readonly code = 'quota-exceeded'
  constructor(size: number, used: number, limit: number, scope = 'this node') {
    super(
      `A ${size}-byte shard does not fit: ${used} of the ${limit} bytes ${scope} may use are used; nothing was written`,
    )
  }
}

export class StoreNotStartedError extends SealnetError {
  readonly code = 'store-not-started'
  constructor() {
    super('This store is not started: call start() first')
  }
}
