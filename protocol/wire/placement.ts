/**
 * Shard placement: a shard lives on the r nodes closest to it in the Kademlia key space
 * (XOR of SHA-256 of the shard id and SHA-256 of each peer id's multihash, as kad-dht
 * measures it). Writers and readers rank the same candidates the same way, so a reader
 * asks the writer's first choice first and falls back down the same list.
 * @module
 */
import { createHash } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest()

/** A peer id's position in the DHT key space. */
export function peerKey(peerId: string): Buffer {
  return sha256(peerIdFromString(peerId).toMultihash().bytes)
}

/** A shard's position in the DHT key space. */
export function shardKey(shardId: string): Buffer {
  return sha256(Buffer.from(shardId, 'hex'))
}

function xorCompare(target: Buffer, a: Buffer, b: Buffer): number {
  for (let i = 0; i < target.length; i++) {
    const da = a[i]! ^ target[i]!
    const db = b[i]! ^ target[i]!
    if (da !== db) return da - db
  }
  return 0
}

/**
 * `peers` ordered from closest to farthest from the shard.
 * @example const [first, second] = rankByCloseness(shardId, authorizedNodes)
 */
export function rankByCloseness<P extends { peerId: string }>(
  shardId: string,
  peers: readonly P[],
): P[] {
  const target = shardKey(shardId)
  return peers
    .map(peer => ({ peer, key: peerKey(peer.peerId) }))
    .sort((a, b) => xorCompare(target, a.key, b.key))
    .map(({ peer }) => peer)
}
