/**
 * Proving and verifying `stats` over committed chunks, and combining chunk proofs into
 * a dataset result that the chain can check (StatsJobVerifier).
 *
 * Public signals, outputs first: [count, sum, sumOfSquares, commitment, threshold, length].
 * @module
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AbiCoder, keccak256, toBeHex } from 'ethers'
import * as snarkjs from 'snarkjs'
import { merkleRoot } from '../ledger/merkle.ts'
import { chunkCommitment, FIELD_ORDER } from './chunk-commitment.ts'
import { circuitDir, VALUE_BITS } from './circuits.ts'
import { CircuitNotBuiltError, InvalidWitnessError } from './errors.ts'

export interface Groth16Proof {
  pi_a: string[]
  pi_b: string[][]
  pi_c: string[]
  protocol: string
  curve: string
}

export interface StatsResult {
  count: bigint
  sum: bigint
  sumOfSquares: bigint
}

/** One chunk's proof, JSON-safe (decimal strings). */
export interface StatsChunkProof {
  size: number
  proof: Groth16Proof
  publicSignals: string[]
}

function readBuild(size: number, file: string): Uint8Array {
  try {
    return readFileSync(join(circuitDir('stats', size), file))
  } catch {
    throw new CircuitNotBuiltError(`stats_${size}`)
  }
}

/**
 * Proves `stats` for chunks of `size` values; wasm and proving key are read once.
 * @example const prover = StatsProver.load(8); const proof = await prover.prove(values, salt, 0n)
 */
export class StatsProver {
  readonly size: number
  readonly #wasm: Uint8Array
  readonly #zkey: Uint8Array

  private constructor(size: number, wasm: Uint8Array, zkey: Uint8Array) {
    this.size = size
    this.#wasm = wasm
    this.#zkey = zkey
  }

  static load(size: number): StatsProver {
    return new StatsProver(
      size,
      readBuild(size, `stats_${size}_js/stats_${size}.wasm`),
      readBuild(size, `stats_${size}.zkey`),
    )
  }

  /** Proves the statistics of one chunk (at most `size` values, each below 2^32). */
  async prove(
    values: readonly bigint[],
    salt: bigint,
    threshold: bigint,
  ): Promise<StatsChunkProof> {
    const limit = 1n << BigInt(VALUE_BITS)
    if (values.length > this.size)
      throw new InvalidWitnessError(
        `a chunk holds at most ${this.size} values; got ${values.length}`,
      )
    const bad = values.findIndex(v => v < 0n || v >= limit)
    if (bad >= 0)
      throw new InvalidWitnessError(
        `value ${bad} is ${values[bad]}; values must be integers from 0 to 2^${VALUE_BITS} - 1`,
      )
    if (threshold < 0n || threshold >= limit)
      throw new InvalidWitnessError(`threshold must be from 0 to 2^${VALUE_BITS} - 1`)
    if (salt < 0n || salt >= FIELD_ORDER)
      throw new InvalidWitnessError('salt must be a field element')
    const commitment = await chunkCommitment(values, salt, this.size)
    const input = {
      values: [...values, ...Array<bigint>(this.size - values.length).fill(0n)].map(String),
      salt: String(salt),
      commitment: String(commitment),
      threshold: String(threshold),
      length: String(values.length),
    }
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(
      input,
      { type: 'mem', data: this.#wasm } as unknown as string,
      { type: 'mem', data: this.#zkey } as unknown as string,
    )
    return { size: this.size, proof: proof as unknown as Groth16Proof, publicSignals }
  }
}

const verificationKeys = new Map<number, object>()

/** Checks one chunk proof off chain (snarkjs). False for any mismatch. */
export async function verifyStatsChunk(chunk: StatsChunkProof): Promise<boolean> {
  if (!verificationKeys.has(chunk.size)) {
    verificationKeys.set(
      chunk.size,
      JSON.parse(Buffer.from(readBuild(chunk.size, 'vkey.json')).toString('utf8')),
    )
  }
  try {
    return await snarkjs.groth16.verify(
      verificationKeys.get(chunk.size)!,
      chunk.publicSignals,
      chunk.proof as never,
    )
  } catch {
    return false
  }
}

/** The statistics and commitment a chunk proof states. */
export function statsOf(
  chunk: StatsChunkProof,
): StatsResult & { commitment: bigint; threshold: bigint; length: number } {
  const [count, sum, sumOfSquares, commitment, threshold, length] = chunk.publicSignals.map(
    BigInt,
  ) as bigint[]
  return {
    count: count!,
    sum: sum!,
    sumOfSquares: sumOfSquares!,
    commitment: commitment!,
    threshold: threshold!,
    length: Number(length),
  }
}

/** The dataset commitment that goes on chain: Merkle root (sorted-pair keccak) of the chunk commitments. */
export function datasetRoot(chunkCommitments: readonly bigint[]): string {
  return merkleRoot(chunkCommitments.map(c => toBeHex(c, 32)))
}

const coder = AbiCoder.defaultAbiCoder()

/** The job result hash for a stats result: keccak256(abi.encode(count, sum, sumOfSquares, threshold)). */
export function statsResultHash(result: StatsResult, threshold: bigint): string {
  return keccak256(
    coder.encode(
      ['uint256', 'uint256', 'uint256', 'uint256'],
      [result.count, result.sum, result.sumOfSquares, threshold],
    ),
  )
}

/** Sums the chunk results of a dataset. */
export function combineStats(chunks: readonly StatsChunkProof[]): StatsResult {
  return chunks.map(statsOf).reduce(
    (t, c) => ({
      count: t.count + c.count,
      sum: t.sum + c.sum,
      sumOfSquares: t.sumOfSquares + c.sumOfSquares,
    }),
    {
      count: 0n,
      sum: 0n,
      sumOfSquares: 0n,
    },
  )
}

/**
 * The `proof` bytes StatsJobVerifier takes: abi.encode of the chunk proofs, with the
 * G2 point's coordinates in the order the Solidity verifier expects.
 */
export function encodeStatsProofs(chunks: readonly StatsChunkProof[]): string {
  const tuples = chunks.map(({ proof, publicSignals }) => [
    [proof.pi_a[0], proof.pi_a[1]],
    [
      [proof.pi_b[0]![1], proof.pi_b[0]![0]],
      [proof.pi_b[1]![1], proof.pi_b[1]![0]],
    ],
    [proof.pi_c[0], proof.pi_c[1]],
    publicSignals,
  ])
  return coder.encode(
    ['tuple(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[6] pub)[]'],
    [tuples],
  )
}

/** Ends snarkjs's worker threads, so a process that proved can exit. */
export async function releaseProverThreads(): Promise<void> {
  await (
    globalThis as { curve_bn128?: { terminate?: () => Promise<void> } }
  ).curve_bn128?.terminate?.()
}
