/**
 * `linear` (fixed-point y = W·x + b) over committed chunks of records, with a committed
 * model, and chunk proofs combined into the job result LinearJobVerifier checks.
 *
 * Public signals, outputs first: [y_0 … y_{R−1}, dataCommitment, modelCommitment, length].
 * Signed values travel as field elements: −v is FIELD_ORDER − v.
 * @module
 */
import { AbiCoder, keccak256 } from 'ethers'
import { chunkCommitment, FIELD_ORDER } from './chunk-commitment.ts'
import { LINEAR_FEATURES, VALUE_BITS } from './circuits.ts'
import { InvalidWitnessError } from './errors.ts'
import { type ChunkProof, type CircuitProver, proofCalldata } from './groth16.ts'

export interface LinearModel {
  /** LINEAR_FEATURES signed integer weights, |w| < 2^32. */
  weights: readonly bigint[]
  bias: bigint
}

const LIMIT = 1n << BigInt(VALUE_BITS)

/** A signed integer as a field element. */
export function toField(value: bigint): bigint {
  return value < 0n ? FIELD_ORDER + value : value
}

/** A field element as a signed integer (above p/2 means negative). */
export function fromField(element: bigint): bigint {
  return element > FIELD_ORDER / 2n ? element - FIELD_ORDER : element
}

/** The model's public commitment: weights then bias, as field elements, salted. */
export function modelCommitment(model: LinearModel, salt: bigint): Promise<bigint> {
  return chunkCommitment([...model.weights, model.bias].map(toField), salt, LINEAR_FEATURES + 1)
}

function assertModel(model: LinearModel): void {
  if (model.weights.length !== LINEAR_FEATURES)
    throw new InvalidWitnessError(
      `the model needs ${LINEAR_FEATURES} weights; got ${model.weights.length}`,
    )
  for (const [name, v] of [
    ...model.weights.map((w, i) => [`weight ${i}`, w] as const),
    ['bias', model.bias] as const,
  ]) {
    if (v <= -LIMIT || v >= LIMIT)
      throw new InvalidWitnessError(
        `${name} is ${v}; it must be above -2^${VALUE_BITS} and below 2^${VALUE_BITS}`,
      )
  }
}

/**
 * Proves the model's outputs for one chunk of at most `prover.size` records.
 * @example await proveLinear(CircuitProver.load('linear', 8), records, dataSalt, model, modelSalt)
 */
export async function proveLinear(
  prover: CircuitProver,
  records: readonly (readonly bigint[])[],
  dataSalt: bigint,
  model: LinearModel,
  modelSalt: bigint,
): Promise<ChunkProof> {
  assertModel(model)
  if (records.length > prover.size)
    throw new InvalidWitnessError(
      `a chunk holds at most ${prover.size} records; got ${records.length}`,
    )
  records.forEach((record, r) => {
    if (record.length !== LINEAR_FEATURES)
      throw new InvalidWitnessError(
        `record ${r} has ${record.length} features; the model takes ${LINEAR_FEATURES}`,
      )
    if (record.some(v => v < 0n || v >= LIMIT))
      throw new InvalidWitnessError(`record ${r} has a feature outside 0 … 2^${VALUE_BITS} - 1`)
  })
  const padded = [
    ...records,
    ...Array.from({ length: prover.size - records.length }, () =>
      Array<bigint>(LINEAR_FEATURES).fill(0n),
    ),
  ]
  return prover.prove({
    x: padded.map(record => record.map(String)),
    dataSalt: String(dataSalt),
    dataCommitment: String(
      await chunkCommitment(padded.flat(), dataSalt, prover.size * LINEAR_FEATURES),
    ),
    weights: model.weights.map(w => String(toField(w))),
    bias: String(toField(model.bias)),
    modelSalt: String(modelSalt),
    modelCommitment: String(await modelCommitment(model, modelSalt)),
    length: String(records.length),
  })
}

/** The outputs (signed, one per record in use) and commitments a chunk proof states. */
export function linearOf(chunk: ChunkProof): {
  outputs: bigint[]
  dataCommitment: bigint
  modelCommitment: bigint
  length: number
} {
  const signals = chunk.publicSignals.map(BigInt)
  const records = chunk.size
  const length = Number(signals[records + 2])
  return {
    outputs: signals.slice(0, length).map(fromField),
    dataCommitment: signals[records]!,
    modelCommitment: signals[records + 1]!,
    length,
  }
}

const coder = AbiCoder.defaultAbiCoder()

/** The job result hash: keccak256(abi.encode(modelCommitment, int256[] outputs of every chunk in order)). */
export function linearResultHash(model: bigint, outputs: readonly bigint[]): string {
  return keccak256(coder.encode(['uint256', 'int256[]'], [model, outputs]))
}

/** The `proof` bytes LinearJobVerifier takes: abi.encode of (a, b, c, public signals) per chunk. */
export function encodeLinearProofs(chunks: readonly ChunkProof[]): string {
  const tuples = chunks.map(({ proof, publicSignals }) => [...proofCalldata(proof), publicSignals])
  return coder.encode(
    ['tuple(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[] pub)[]'],
    [tuples],
  )
}
