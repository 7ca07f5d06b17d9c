/**
 * Groth16 with snarkjs, the proof system behind every circuit today (proof-system.ts): a
 * prover that reads wasm and proving key once, off-chain verification with cached
 * verification keys, and the Solidity calldata form of a proof.
 * @module
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as snarkjs from 'snarkjs'
import { circuitDir } from './circuits.ts'
import { CircuitNotBuiltError } from './errors.ts'
import type { ChunkProof, ChunkProver, ProofSystem } from './proof-system.ts'

export interface Groth16Proof {
  pi_a: string[]
  pi_b: string[][]
  pi_c: string[]
  protocol: string
  curve: string
}

function readBuild(circuit: string, size: number, file: string): Uint8Array {
  try {
    return readFileSync(join(circuitDir(circuit, size), file))
  } catch {
    throw new CircuitNotBuiltError(`${circuit}_${size}`)
  }
}

/**
 * Proves one circuit at one size; wasm and proving key are read once per instance.
 * @example const prover = CircuitProver.load('stats', 8); await prover.prove(input)
 */
export class CircuitProver implements ChunkProver {
  readonly circuit: string
  readonly size: number
  readonly #wasm: Uint8Array
  readonly #zkey: Uint8Array

  private constructor(circuit: string, size: number, wasm: Uint8Array, zkey: Uint8Array) {
    this.circuit = circuit
    this.size = size
    this.#wasm = wasm
    this.#zkey = zkey
  }

  static load(circuit: string, size: number): CircuitProver {
    const base = `${circuit}_${size}`
    return new CircuitProver(
      circuit,
      size,
      readBuild(circuit, size, `${base}_js/${base}.wasm`),
      readBuild(circuit, size, `${base}.zkey`),
    )
  }

  /** Computes the witness and proves it (queued behind other proofs); throws if the inputs violate a constraint. */
  prove(input: Record<string, unknown>): Promise<ChunkProof> {
    const run = proving.then(() => this.#prove(input))
    proving = run.catch(() => undefined)
    return run
  }

  async #prove(input: Record<string, unknown>): Promise<ChunkProof> {
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(
      input as never,
      { type: 'mem', data: this.#wasm } as unknown as string,
      { type: 'mem', data: this.#zkey } as unknown as string,
    )
    return {
      circuit: this.circuit,
      size: this.size,
      proof: proof as unknown as Groth16Proof,
      publicSignals,
    }
  }
}

/**
 * Proofs run one at a time per process: snarkjs keeps one shared curve (with worker
 * threads) in a global, and concurrent first proofs each build their own, orphaning the
 * others' workers so the process never exits. Proving in parallel gains nothing anyway:
 * snarkjs already spreads one proof over every core.
 */
let proving: Promise<unknown> = Promise.resolve()

const verificationKeys = new Map<string, object>()

/** Checks a chunk proof off chain (snarkjs). False for any mismatch, never throws on bad input. */
export async function verifyChunkProof(chunk: ChunkProof): Promise<boolean> {
  const key = `${chunk.circuit}_${chunk.size}`
  if (!verificationKeys.has(key)) {
    verificationKeys.set(
      key,
      JSON.parse(Buffer.from(readBuild(chunk.circuit, chunk.size, 'vkey.json')).toString('utf8')),
    )
  }
  try {
    return await snarkjs.groth16.verify(
      verificationKeys.get(key)!,
      chunk.publicSignals,
      chunk.proof as never,
    )
  } catch {
    return false
  }
}

/** (a, b, c) as the exported Solidity verifier takes them: b's coordinates swapped per pair. */
export function proofCalldata(chunk: ChunkProof): [string[], string[][], string[]] {
  const proof = chunk.proof as Groth16Proof
  return [
    [proof.pi_a[0]!, proof.pi_a[1]!],
    [
      [proof.pi_b[0]![1]!, proof.pi_b[0]![0]!],
      [proof.pi_b[1]![1]!, proof.pi_b[1]![0]!],
    ],
    [proof.pi_c[0]!, proof.pi_c[1]!],
  ]
}

/** Ends snarkjs's worker threads, so a process that proved can exit. */
export async function releaseProverThreads(): Promise<void> {
  await (
    globalThis as { curve_bn128?: { terminate?: () => Promise<void> } }
  ).curve_bn128?.terminate?.()
}

type Uint = bigint | string

/** The snarkjs proof object of (a, b, c) as the Solidity verifier takes them (the inverse of proofCalldata). */
function fromCalldata(values: readonly unknown[]): Groth16Proof {
  const [a, b, c] = values as [Uint[], Uint[][], Uint[]]
  const s = (v: Uint) => v.toString()
  return {
    pi_a: [s(a[0]!), s(a[1]!), '1'],
    pi_b: [
      [s(b[0]![1]!), s(b[0]![0]!)],
      [s(b[1]![1]!), s(b[1]![0]!)],
      ['1', '0'],
    ],
    pi_c: [s(c[0]!), s(c[1]!), '1'],
    protocol: 'groth16',
    curve: 'bn128',
  }
}

export const groth16: ProofSystem = {
  name: 'groth16',
  load: (circuit, size) => CircuitProver.load(circuit, size),
  verify: verifyChunkProof,
  abiTuple: signals =>
    `tuple(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[${signals}] pub)`,
  calldata: chunk => [...proofCalldata(chunk), chunk.publicSignals],
  fromCalldata,
}
