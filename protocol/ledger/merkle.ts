/**
 * The Merkle root used on chain: pairs hashed with keccak256 as (left, right) in position
 * order, an odd node moved up unchanged. Contracts recompute it in Solidity
 * (OrderedMerkle, in StatsJobVerifier and ModelJobVerifier) from the same leaves. Ordered,
 * not sorted (as it once was): with sorted pairs, swapping two sibling leaves kept the
 * root, so a node could hand a chunk's outputs to another chunk's records.
 * @module
 */
import { concat, keccak256 } from 'ethers'

/** @example merkleRoot([leafA, leafB, leafC]) // 0x… (32 bytes) */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) throw new RangeError('a Merkle tree needs at least one leaf')
  let level = [...leaves]
  while (level.length > 1) {
    const next: string[] = []
    for (let i = 0; i < level.length; i += 2) {
      const a = level[i]!
      const b = level[i + 1]
      next.push(b === undefined ? a : keccak256(concat([a, b])))
    }
    level = next
  }
  return level[0]!
}
