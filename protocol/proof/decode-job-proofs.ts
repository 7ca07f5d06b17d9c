/**
 * The inverse of encodeStatsProofs / encodeLinearProofs: the chunk proofs a completed job
 * put on chain, back in their proof system's form, so anyone can re-check them off chain.
 * @module
 */
import { CIRCUITS, type CircuitName } from './circuits.ts'
import { type ChunkProof, decodeChunkProofs } from './proof-system.ts'
import { proofSystemOf } from './proof-systems.ts'

/**
 * The chunk proofs of a job's `proof` bytes. A chunk's size is not among its public
 * signals, so each is returned once per built size; only the right one verifies.
 */
export function decodeJobProofs(circuit: CircuitName, proofBytes: string): ChunkProof[][] {
  const spec = CIRCUITS[circuit]
  return decodeChunkProofs(
    proofSystemOf(circuit),
    circuit,
    spec.publicSignals,
    spec.sizes,
    proofBytes,
  )
}
