/** The circuits, their parameters and where their build outputs live. */
import { join } from 'node:path'

export interface CircuitSpec {
  name: string
  /** File under circuits/src. */
  file: string
  template: string
  /** Template parameters for a chunk of `size` values. */
  params(size: number): number[]
  publicInputs: readonly string[]
  /** Public signals of a proof, outputs first (the on-chain tuple's `pub`). */
  publicSignals: number
  /** The proof system that proves it (proof-systems.ts). */
  system: 'groth16'
  /** Sizes built by default: the smallest for tests, the largest for the demo and bench. */
  sizes: readonly number[]
}

/** Bits per value: non-negative fixed-point integers below 2^32 (weights: |w| < 2^32). */
export const VALUE_BITS = 32
/** Features per record of the linear model (and of the MLP). */
export const LINEAR_FEATURES = 4
/** Hidden units of the proven MLP (a smaller model is zero-padded to it). */
export const MLP_HIDDEN = 8
/** Bits of an MLP weight's magnitude: |w| < 2^16 keeps the two layers inside 2^13 constraints. */
export const MLP_WEIGHT_BITS = 16
/** Records per mlp chunk, the circuit's one size: 4 records are 7 697 constraints (8 would pass the 2^13 powers of tau). */
export const MLP_RECORDS = 4

export const CIRCUITS = {
  stats: {
    name: 'stats',
    file: 'stats.circom',
    template: 'Stats',
    params: (size: number) => [size, VALUE_BITS],
    publicInputs: ['commitment', 'length'],
    // resultCommitment, commitment, length
    publicSignals: 3,
    system: 'groth16',
    // 32 values: 4 667 constraints
    sizes: [8, 32],
  },
  /** size = records per chunk */
  linear: {
    name: 'linear',
    file: 'linear.circom',
    template: 'Linear',
    params: (size: number) => [size, LINEAR_FEATURES, VALUE_BITS],
    publicInputs: ['dataCommitment', 'modelCommitment', 'length'],
    // resultCommitment, dataCommitment, modelCommitment, length
    publicSignals: 4,
    system: 'groth16',
    // 16 records of 4 features: 7 155 constraints (32 would pass the 2^13 powers of tau)
    sizes: [8, 16],
  },
  /** size = records per chunk; 4 features → MLP_HIDDEN ReLU units → 1 output */
  mlp: {
    name: 'mlp',
    file: 'mlp.circom',
    template: 'Mlp',
    params: (size: number) => [size, LINEAR_FEATURES, MLP_HIDDEN, VALUE_BITS, MLP_WEIGHT_BITS],
    publicInputs: ['dataCommitment', 'modelCommitment', 'length'],
    // resultCommitment, dataCommitment, modelCommitment, length (linear's layout)
    publicSignals: 4,
    system: 'groth16',
    sizes: [MLP_RECORDS],
  },
} as const satisfies Record<string, CircuitSpec>

export type CircuitName = keyof typeof CIRCUITS

const BUILD = new URL('../../circuits/build/', import.meta.url).pathname

export function circuitDir(name: string, size: number): string {
  return join(BUILD, `${name}_${size}`)
}

/** Solidity name of the exported verifier, e.g. StatsGroth16Verifier8. */
export function verifierContractName(name: string, size: number): string {
  return `${name[0]!.toUpperCase()}${name.slice(1)}Groth16Verifier${size}`
}
