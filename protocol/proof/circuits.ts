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
}

/** Bits per value: non-negative fixed-point integers below 2^32. */
export const VALUE_BITS = 32

export const CIRCUITS = {
  stats: {
    name: 'stats',
    file: 'stats.circom',
    template: 'Stats',
    params: (size: number) => [size, VALUE_BITS],
    publicInputs: ['commitment', 'threshold', 'length'],
  },
} as const satisfies Record<string, CircuitSpec>

/** Chunk sizes built by default: 8 for tests, 32 for the demo and bench. */
export const DEFAULT_SIZES = [8, 32] as const

const BUILD = new URL('../../circuits/build/', import.meta.url).pathname

export function circuitDir(name: string, size: number): string {
  return join(BUILD, `${name}_${size}`)
}

/** Solidity name of the exported verifier, e.g. StatsGroth16Verifier8. */
export function verifierContractName(name: string, size: number): string {
  return `${name[0]!.toUpperCase()}${name.slice(1)}Groth16Verifier${size}`
}
