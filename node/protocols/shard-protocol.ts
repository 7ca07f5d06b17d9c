/**
 * `/sealnet/shard/1`: put, get and delete ciphertext shards. Every request names its
 * project, and is authenticated (peer credential against the ledger) and authorized for
 * that project before any shard is looked up; this node serves a project's reads and
 * writes only while it holds a live grant for it, and an admin's deletions always. Each
 * access is queued for the ledger's access log.
 * @module
 */
import { identityIdOf } from '../../protocol/ledger/index.ts'
import {
  MAX_SHARD_BYTES,
  RequestRefusedError,
  ShardRequestSchema,
} from '../../protocol/wire/index.ts'
import type { AccessLog } from '../access-log/index.ts'
import type { Authorizer, ProjectPolicy } from '../authorizer/index.ts'
import { ShardNotFoundError, type ShardStore } from '../shard-store/index.ts'
import type { RequestHandler } from './handler.ts'
import type { ManifestGuard } from './manifest-guard.ts'

export interface ShardProtocolInit {
  authorizer: Authorizer
  store: ShardStore
  accessLog: AccessLog
  /** This node's identity name. */
  node: string
  /** Refuses deleting a dataset's current manifest without an executed erasure. */
  manifests: ManifestGuard
  /** Which projects this node serves (its operator's policy). */
  policy: ProjectPolicy
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
  const { authorizer, store, accessLog, node, manifests, policy } = init
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
      await policy.requireAccepted(request.projectId)
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
    // authorized for the project it names before the shard is looked up: a peer without
    // a role learns nothing, not even whether this node holds the shard
    const { projectId } = request
    // a node no longer granted serves no reads, but still deletes what an admin removes
    // (a re-sealed dataset's old copies, an erasure): deleting only reduces what it holds
    if (request.op === 'get') await authorizer.requireGrant(projectId, node)
    const action = request.op === 'get' ? 'read' : 'delete'
    await authorizer.authorize(projectId, peer, action)
    // a shard of another project is, for this request, not here: the same answer as a
    // missing one, so a member of one project can't probe another's
    if ((await storeCall(store.meta(request.shardId))).projectId !== projectId)
      throw new RequestRefusedError('not-found', new ShardNotFoundError(request.shardId).message)
    const objectId = `0x${request.shardId}`
    if (request.op === 'get') {
      const shard = await storeCall(store.get(request.shardId))
      await accessLog.record({ projectId, objectId, accessor, action })
      return { header: { ok: true, shardId: request.shardId, size: shard.length }, body: shard }
    }
    await manifests.requireDeletable(projectId, request.shardId)
    await storeCall(store.delete(request.shardId))
    await accessLog.record({ projectId, objectId, accessor, action })
    return { header: { ok: true, shardId: request.shardId, size: 0 } }
  }
}
