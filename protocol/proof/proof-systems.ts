/** The proof system of each circuit, by the name its CircuitSpec gives. */
import { CIRCUITS, type CircuitName } from './circuits.ts'
import { groth16 } from './groth16.ts'
import type { ProofSystem } from './proof-system.ts'

const PROOF_SYSTEMS: Record<(typeof CIRCUITS)[CircuitName]['system'], ProofSystem> = { groth16 }

export function proofSystemOf(circuit: CircuitName): ProofSystem {
  return PROOF_SYSTEMS[CIRCUITS[circuit].system]
}
