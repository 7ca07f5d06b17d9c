/**
 * `stats` over committed chunks, and chunk proofs combined into a dataset result that
 * the chain checks (StatsJobVerifier).
 *
 * Public signals, outputs first: [count, sum, sumOfSquares, commitment, threshold, length].
 * @module
 */
import { AbiCoder, keccak256 } from 'ethers'
import { chunkCommitment, FIELD_ORDER } from './chunk-commitment.ts'
import { VALUE_BITS } from './circuits.ts'
import { InvalidWitnessError } from './errors.ts'
import { type ChunkProof, type CircuitProver, proofCalldata } from './groth16.ts'

export interface StatsResult {
  count: bigint
  sum: bigint
  sumOfSquares: bigint
}

const VALUE_LIMIT = 1n << BigInt(VALUE_BITS)

/**
 * Proves the statistics of one chunk (at most `prover.size` values, each below 2^32).
 * @example await proveStats(CircuitProver.load('stats', 8), values, salt, 0n)
 */
export async function proveStats(
  prover: CircuitProver,
  values: readonly bigint[],
  salt: bigint,
  threshold: bigint,
): Promise<ChunkProof> {
  if (values.length > prover.size)
    throw new InvalidWitnessError(
      `a chunk holds at most ${prover.size} values; got ${values.length}`,
    )
  const bad = values.findIndex(v => v < 0n || v >= VALUE_LIMIT)
  if (bad >= 0)
    throw new InvalidWitnessError(
      `value ${bad} is ${values[bad]}; values must be integers from 0 to 2^${VALUE_BITS} - 1`,
    )
  if (threshold < 0n || threshold >= VALUE_LIMIT)
    throw new InvalidWitnessError(`threshold must be from 0 to 2^${VALUE_BITS} - 1`)
  if (salt < 0n || salt >= FIELD_ORDER)
    throw new InvalidWitnessError('salt must be a field element')
  return prover.prove({
    values: [...values, ...Array<bigint>(prover.size - values.length).fill(0n)].map(String),
    salt: String(salt),
    commitment: String(await chunkCommitment(values, salt, prover.size)),
    threshold: String(threshold),
    length: String(values.length),
  })
}

/** The statistics and commitment a chunk proof states. */
export function statsOf(
  chunk: ChunkProof,
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
export function combineStats(chunks: readonly ChunkProof[]): StatsResult {
  const zero: StatsResult = { count: 0n, sum: 0n, sumOfSquares: 0n }
  return chunks.map(statsOf).reduce(
    (t, c) => ({
      count: t.count + c.count,
      sum: t.sum + c.sum,
      sumOfSquares: t.sumOfSquares + c.sumOfSquares,
    }),
    zero,
  )
}

/** The `proof` bytes StatsJobVerifier takes: abi.encode of (a, b, c, public signals) per chunk. */
export function encodeStatsProofs(chunks: readonly ChunkProof[]): string {
  const tuples = chunks.map(({ proof, publicSignals }) => [...proofCalldata(proof), publicSignals])
  return coder.encode(
    ['tuple(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[6] pub)[]'],
    [tuples],
  )
}
