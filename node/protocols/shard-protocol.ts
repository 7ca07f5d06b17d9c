/**
 * `/sealnet/shard/1`: put, get and delete ciphertext shards. Every request is
 * authenticated (peer credential against the ledger) and authorized for the shard's
 * project; this node serves a project only while it holds a live grant for it. Reads
 * and writes are queued for the ledger's access log.
 * @module
 */
import { identityIdOf } from '../../protocol/ledger/index.ts'
import {
  MAX_SHARD_BYTES,
  RequestRefusedError,
  ShardRequestSchema,
} from '../../protocol/wire/index.ts'
import type { AccessLog } from '../access-log/index.ts'
import type { Authorizer } from '../authorizer/index.ts'
import type { ShardStore } from '../shard-store/index.ts'
import type { RequestHandler } from './handler.ts'

export interface ShardProtocolInit {
  authorizer: Authorizer
  store: ShardStore
  accessLog: AccessLog
  /** This node's identity name. */
  node: string
}

const STORE_REFUSALS = {
  ShardNotFoundError: 'not-found',
  CorruptShardError: 'corrupt',
  QuotaExceededError: 'quota',
  InvalidShardIdError: 'malformed',
} as const

/** Rethrows the store's typed errors as refusals the peer can act on. */
async function storeCall<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (err) {
    const code =
      err instanceof Error ? STORE_REFUSALS[err.name as keyof typeof STORE_REFUSALS] : undefined
    if (code) throw new RequestRefusedError(code, (err as Error).message)
    throw err
  }
}

export function shardProtocol(init: ShardProtocolInit): RequestHandler {
  const { authorizer, store, accessLog, node } = init
  return async (frame, remotePeer) => {
    const request = ShardRequestSchema.parse(frame.header)
    const peer = await authorizer.authenticate(request.credential, remotePeer)
    const accessor = identityIdOf(peer.name)
    if (request.op === 'put') {
      if (frame.body.length === 0)
        throw new RequestRefusedError('malformed', 'a put carries the shard as its body')
      if (frame.body.length > MAX_SHARD_BYTES)
        throw new RequestRefusedError(
          'too-large',
          `shard of ${frame.body.length} bytes exceeds ${MAX_SHARD_BYTES}`,
        )
      await authorizer.requireGrant(request.projectId, node)
      await authorizer.authorize(request.projectId, peer, 'write')
      const shardId = await storeCall(store.put(frame.body, { projectId: request.projectId }))
      await accessLog.record({
        projectId: request.projectId,
        objectId: `0x${shardId}`,
        accessor,
        action: 'write',
      })
      return { header: { ok: true, shardId, size: frame.body.length } }
    }
    const { projectId } = await storeCall(store.meta(request.shardId))
    await authorizer.requireGrant(projectId, node)
    const action = request.op === 'get' ? 'read' : 'delete'
    await authorizer.authorize(projectId, peer, action)
    const objectId = `0x${request.shardId}`
    if (request.op === 'get') {
      const shard = await storeCall(store.get(request.shardId))
      await accessLog.record({ projectId, objectId, accessor, action })
      return { header: { ok: true, shardId: request.shardId, size: shard.length }, body: shard }
    }
    await storeCall(store.delete(request.shardId))
    await accessLog.record({ projectId, objectId, accessor, action })
    return { header: { ok: true, shardId: request.shardId, size: 0 } }
  }
}
