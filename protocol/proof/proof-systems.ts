/** The proof system of each circuit, by the name its CircuitSpec gives. */
import { CIRCUITS, type CircuitName } from './circuits.ts'
import { groth16 } from './groth16.ts'
import type { ChunkProof, ProofSystem } from './proof-system.ts'

const PROOF_SYSTEMS: Record<(typeof CIRCUITS)[CircuitName]['system'], ProofSystem> = { groth16 }

export function proofSystemOf(circuit: CircuitName): ProofSystem {
  return PROOF_SYSTEMS[CIRCUITS[circuit].system]
}

/**
 * Checks a chunk proof with the proof system of the circuit it names: false for a circuit
 * Sealnet does not know, as for any other mismatch.
 */
export function verifyProof(chunk: ChunkProof): Promise<boolean> {
  if (!Object.hasOwn(CIRCUITS, chunk.circuit)) return Promise.resolve(false)
  return proofSystemOf(chunk.circuit as CircuitName).verify(chunk)
}
