/**
 * Replicated placement on top of PeerClient: a shard goes to the r closest candidate
 * nodes (placement.ts) that accept it, skipping any that are down or refuse; a read
 * walks the same ranking and falls back to the next replica when one is down, refuses,
 * or serves bytes that do not hash to the shard's id.
 * @module
 */
import { createHash } from 'node:crypto'
import { DEFAULT_REPLICATION, rankByCloseness } from '../../protocol/wire/index.ts'
import type { PeerClient } from './peer-client.ts'

export interface StorageNode {
  identity: string
  peerId: string
}

export class ReplicationError extends Error {
  static override name = 'ReplicationError'
  readonly holders: string[]
  constructor(shardId: string, wanted: number, holders: string[], failures: string[]) {
    super(
      `shard ${shardId.slice(0, 12)}… is on ${holders.length} of ${wanted} nodes wanted: ${failures.join('; ') || 'too few candidate nodes'}`,
    )
    this.name = ReplicationError.name
    this.holders = holders
  }
}

export class ShardUnavailableError extends Error {
  static override name = 'ShardUnavailableError'
  constructor(shardId: string, failures: string[]) {
    super(
      `no replica of shard ${shardId.slice(0, 12)}… could be read: ${failures.join('; ') || 'no candidate nodes'}`,
    )
    this.name = ShardUnavailableError.name
  }
}

const reason = (node: StorageNode, err: unknown) =>
  `${node.identity}: ${err instanceof Error ? err.message : String(err)}`

/**
 * Stores `shard` on `replication` nodes; throws ReplicationError (naming each failure)
 * if fewer accept it. Re-running it is safe: nodes keep one copy per shard id.
 */
export async function placeShard(
  client: PeerClient,
  projectId: string,
  shard: Uint8Array,
  nodes: readonly StorageNode[],
  replication = DEFAULT_REPLICATION,
): Promise<{ shardId: string; holders: StorageNode[] }> {
  const shardId = createHash('sha256').update(shard).digest('hex')
  const holders: StorageNode[] = []
  const failures: string[] = []
  for (const node of rankByCloseness(shardId, nodes)) {
    if (holders.length === replication) break
    try {
      await client.putShard(node.peerId, projectId, shard)
      holders.push(node)
    } catch (err) {
      failures.push(reason(node, err))
    }
  }
  if (holders.length < Math.min(replication, Math.max(nodes.length, 1))) {
    throw new ReplicationError(
      shardId,
      replication,
      holders.map(h => h.identity),
      failures,
    )
  }
  return { shardId, holders }
}

/** Reads a shard from the first replica, in placement order, that serves it intact. */
export async function fetchShard(
  client: PeerClient,
  shardId: string,
  nodes: readonly StorageNode[],
): Promise<{ shard: Uint8Array; from: StorageNode }> {
  const failures: string[] = []
  for (const node of rankByCloseness(shardId, nodes)) {
    try {
      return { shard: await client.getShard(node.peerId, shardId), from: node }
    } catch (err) {
      failures.push(reason(node, err))
    }
  }
  throw new ShardUnavailableError(shardId, failures)
}
