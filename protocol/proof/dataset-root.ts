/** A dataset's on-chain commitment: the Merkle root of its chunk commitments. */
import { toBeHex } from 'ethers'
import { merkleRoot } from '../ledger/merkle.ts'

/** Sorted-pair keccak Merkle root of the chunk commitments (as the verifier contracts recompute it). */
export function datasetRoot(chunkCommitments: readonly bigint[]): string {
  return merkleRoot(chunkCommitments.map(c => toBeHex(c, 32)))
}
