/**
 * Replicated placement on top of PeerClient: a shard goes to the r closest candidate
 * nodes (placement.ts) that accept it, skipping any that are down or refuse; a read
 * walks the same ranking and falls back to the next replica when one is down, refuses,
 * or serves bytes that do not hash to the shard's id.
 * @module
 */

import { createHash } from 'node:crypto'
import { SealnetError } from '../sealnet-error.ts'
import { DEFAULT_REPLICATION, HEDGE_AFTER_MS } from './constants.ts'
import type { PeerClient } from './peer-client.ts'
import { rankByCloseness } from './placement.ts'

export interface StorageNode {
  identity: string
  peerId: string
}

export class ReplicationError extends SealnetError {
  readonly code = 'replication'
  readonly holders: string[]
  constructor(shardId: string, wanted: number, holders: string[], failures: string[]) {
    super(
      `shard ${shardId.slice(0, 12)}… is on ${holders.length} of ${wanted} nodes wanted: ${failures.join('; ') || 'too few candidate nodes'}`,
    )
    this.holders = holders
  }
}

export class ShardUnavailableError extends SealnetError {
  readonly code = 'shard-unavailable'
  constructor(shardId: string, failures: string[]) {
    super(
      `no replica of shard ${shardId.slice(0, 12)}… could be read: ${failures.join('; ') || 'no candidate nodes'}`,
    )
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

/**
 * Reads a shard from the replicas in placement order, taking the first that serves it
 * intact. A replica that has not answered within `hedgeMs` gets company: the next one
 * is asked too (a hedged request), so a node that is down or slow costs at most that
 * delay, not a dial timeout.
 */
export function fetchShard(
  client: PeerClient,
  projectId: string,
  shardId: string,
  nodes: readonly StorageNode[],
  options: { hedgeMs?: number } = {},
): Promise<{ shard: Uint8Array; from: StorageNode }> {
  const ranked = rankByCloseness(shardId, nodes)
  const hedgeMs = options.hedgeMs ?? HEDGE_AFTER_MS
  const failures: string[] = []
  return new Promise((resolve, reject) => {
    let next = 0
    let running = 0
    let settled = false
    let timer: NodeJS.Timeout | undefined
    const settle = () => {
      settled = true
      clearTimeout(timer)
    }
    const launch = () => {
      if (settled || next >= ranked.length) return
      const node = ranked[next++]!
      running++
      clearTimeout(timer)
      timer = setTimeout(launch, hedgeMs)
      client.getShard(node.peerId, projectId, shardId).then(
        shard => {
          if (settled) return
          settle()
          resolve({ shard, from: node })
        },
        err => {
          running--
          failures.push(reason(node, err))
          if (settled) return
          if (next < ranked.length) launch()
          else if (running === 0) {
            settle()
            reject(new ShardUnavailableError(shardId, failures))
          }
        },
      )
    }
    if (ranked.length === 0) reject(new ShardUnavailableError(shardId, failures))
    else launch()
  })
}
