/**
 * The Merkle root used on chain: pairs hashed with keccak256 in sorted order
 * (OpenZeppelin's commutative hashing), an odd node moved up unchanged. Contracts
 * recompute it in Solidity (StatsJobVerifier) from the same leaves.
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
      next.push(b === undefined ? a : keccak256(a < b ? concat([a, b]) : concat([b, a])))
    }
    level = next
  }
  return level[0]!
}
