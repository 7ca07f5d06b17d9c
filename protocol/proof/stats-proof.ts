/**
 * `stats` over committed chunks, and chunk proofs combined into a dataset result that
 * the chain checks (StatsJobVerifier) without learning it.
 *
 * Public signals, outputs first: [resultCommitment, commitment, length]. The chunk's
 * count, sum, sum of squares and the threshold stay private: the proof states only their
 * salted commitment (statsResultCommitment), and the node seals the opening (the numbers
 * and the salt) to the submitter, who checks it against the proof (openStats).
 * @module
 */
import { AbiCoder, keccak256 } from 'ethers'
import {
  chunkCommitment,
  dataChunkCommitment,
  FIELD_ORDER,
  randomSalt,
} from './chunk-commitment.ts'
import { CIRCUITS, VALUE_BITS } from './circuits.ts'
import { InvalidWitnessError, ResultOpeningError } from './errors.ts'
import { type ChunkProof, type ChunkProver, encodeChunkProofs } from './proof-system.ts'
import { proofSystemOf } from './proof-systems.ts'

export interface StatsResult {
  count: bigint
  sum: bigint
  sumOfSquares: bigint
}

/** What one chunk proof's result commitment opens to (with the job's threshold). */
export interface StatsOpening extends StatsResult {
  salt: bigint
}

/** A chunk proof and the opening of its result commitment. */
export interface ProvenStats {
  proof: ChunkProof
  opening: StatsOpening
}

const VALUE_LIMIT = 1n << BigInt(VALUE_BITS)
/** The committed tuple: count, sum, sumOfSquares, threshold. */
const STATS_RESULT_FIELDS = 4

/** count, sum and sum of squares of the values ≥ threshold, in plain arithmetic. */
export function computeStats(values: readonly bigint[], threshold: bigint): StatsResult {
  const kept = values.filter(v => v >= threshold)
  return {
    count: BigInt(kept.length),
    sum: kept.reduce((a, v) => a + v, 0n),
    sumOfSquares: kept.reduce((a, v) => a + v * v, 0n),
  }
}

/** The salted commitment a stats proof states: the chunk's results and the threshold. */
export function statsResultCommitment(opening: StatsOpening, threshold: bigint): Promise<bigint> {
  return chunkCommitment(
    [opening.count, opening.sum, opening.sumOfSquares, threshold],
    opening.salt,
    STATS_RESULT_FIELDS,
  )
}

/**
 * Proves the statistics of one chunk (at most `prover.size` values, each below 2^32),
 * committed under a fresh salt.
 * @example const { proof, opening } = await proveStats(CircuitProver.load('stats', 8), values, salt, 0n)
 */
export async function proveStats(
  prover: ChunkProver,
  values: readonly bigint[],
  salt: bigint,
  threshold: bigint,
): Promise<ProvenStats> {
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
  const opening = { ...computeStats(values, threshold), salt: randomSalt() }
  const proof = await prover.prove({
    values: [...values, ...Array<bigint>(prover.size - values.length).fill(0n)].map(String),
    salt: String(salt),
    commitment: String(await dataChunkCommitment(values, values.length, salt, prover.size)),
    threshold: String(threshold),
    length: String(values.length),
    resultSalt: String(opening.salt),
  })
  return { proof, opening }
}

/** The commitments a chunk proof states, and how many values it covers. */
export function statsOf(chunk: ChunkProof): {
  resultCommitment: bigint
  commitment: bigint
  length: number
} {
  const [resultCommitment, commitment, length] = chunk.publicSignals.map(BigInt) as bigint[]
  return { resultCommitment: resultCommitment!, commitment: commitment!, length: Number(length) }
}

/**
 * The dataset's result from the chunk openings, each checked against its proof's result
 * commitment under `threshold`. Throws ResultOpeningError naming the first that differs.
 */
export async function openStats(
  proofs: readonly ChunkProof[],
  openings: readonly StatsOpening[],
  threshold: bigint,
): Promise<StatsResult> {
  if (openings.length !== proofs.length)
    throw new ResultOpeningError(
      openings.length,
      `${openings.length} openings for ${proofs.length} chunk proofs`,
    )
  const total: StatsResult = { count: 0n, sum: 0n, sumOfSquares: 0n }
  for (const [i, opening] of openings.entries()) {
    if ((await statsResultCommitment(opening, threshold)) !== statsOf(proofs[i]!).resultCommitment)
      throw new ResultOpeningError(
        i,
        'its numbers, salt or threshold are not what its proof committed to',
      )
    total.count += opening.count
    total.sum += opening.sum
    total.sumOfSquares += opening.sumOfSquares
  }
  return total
}

const coder = AbiCoder.defaultAbiCoder()

/**
 * The job result hash for stats: keccak256(abi.encode(uint256[] resultCommitments)), the
 * chunks in order. It binds the result without revealing it.
 */
export function statsResultHash(proofs: readonly ChunkProof[]): string {
  return keccak256(coder.encode(['uint256[]'], [proofs.map(p => statsOf(p).resultCommitment)]))
}

/** The `proof` bytes StatsJobVerifier takes: abi.encode of (a, b, c, public signals) per chunk. */
export function encodeStatsProofs(chunks: readonly ChunkProof[]): string {
  return encodeChunkProofs(proofSystemOf('stats'), CIRCUITS.stats.publicSignals, chunks)
}
