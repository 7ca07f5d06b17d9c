/**
 * `linear` (fixed-point y = W·x + b) over committed chunks of records, with a committed
 * model, and chunk proofs combined into the job result ModelJobVerifier checks without
 * learning it.
 *
 * Public signals, outputs first: [resultCommitment, dataCommitment, modelCommitment, length].
 * The outputs stay private: the proof states their salted commitment, and the node seals
 * the opening (the outputs and the salt) to the submitter, who checks it (openLinear).
 * Signed values travel as field elements: −v is FIELD_ORDER − v.
 * @module
 */
import { AbiCoder, keccak256 } from 'ethers'
import {
  chunkCommitment,
  dataChunkCommitment,
  FIELD_ORDER,
  randomSalt,
} from './chunk-commitment.ts'
import { CIRCUITS, LINEAR_FEATURES, VALUE_BITS } from './circuits.ts'
import { InvalidWitnessError, ResultOpeningError } from './errors.ts'
import { type ChunkProof, type ChunkProver, encodeChunkProofs } from './proof-system.ts'
import { proofSystemOf } from './proof-systems.ts'

export interface LinearModel {
  /** LINEAR_FEATURES signed integer weights, |w| < 2^32. */
  weights: readonly bigint[]
  bias: bigint
}

/** What one chunk proof's result commitment opens to: an output per record in use. */
export interface LinearOpening {
  outputs: bigint[]
  salt: bigint
}

/** A chunk proof and the opening of its result commitment. */
export interface ProvenLinear {
  proof: ChunkProof
  opening: LinearOpening
}

const LIMIT = 1n << BigInt(VALUE_BITS)

/** A signed integer as a field element. */
export function toField(value: bigint): bigint {
  return value < 0n ? FIELD_ORDER + value : value
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

/** y = W·x + b for each record, in plain arithmetic. */
export function computeLinear(
  records: readonly (readonly bigint[])[],
  model: LinearModel,
): bigint[] {
  return records.map(x => x.reduce((y, v, j) => y + v * model.weights[j]!, model.bias))
}

/** The salted commitment a linear proof states: its R outputs (zero past the records used). */
export function linearResultCommitment(opening: LinearOpening, size: number): Promise<bigint> {
  return chunkCommitment(opening.outputs.map(toField), opening.salt, size)
}

/**
 * A chunk's records zero-padded to `size`; InvalidWitnessError unless they fit it (at most
 * `size` records of LINEAR_FEATURES features, each 0 … 2^VALUE_BITS - 1). The model
 * circuits (linear, mlp) all take records so.
 */
export function paddedRecords(records: readonly (readonly bigint[])[], size: number): bigint[][] {
  if (records.length > size)
    throw new InvalidWitnessError(`a chunk holds at most ${size} records; got ${records.length}`)
  records.forEach((record, r) => {
    if (record.length !== LINEAR_FEATURES)
      throw new InvalidWitnessError(
        `record ${r} has ${record.length} features; the model takes ${LINEAR_FEATURES}`,
      )
    if (record.some(v => v < 0n || v >= LIMIT))
      throw new InvalidWitnessError(`record ${r} has a feature outside 0 … 2^${VALUE_BITS} - 1`)
  })
  return [
    ...records.map(record => [...record]),
    ...Array.from({ length: size - records.length }, () => Array<bigint>(LINEAR_FEATURES).fill(0n)),
  ]
}

/**
 * Proves the model's outputs for one chunk of at most `prover.size` records, committed
 * under a fresh salt.
 * @example const { proof, opening } = await proveLinear(CircuitProver.load('linear', 8), records, dataSalt, model, modelSalt)
 */
export async function proveLinear(
  prover: ChunkProver,
  records: readonly (readonly bigint[])[],
  dataSalt: bigint,
  model: LinearModel,
  modelSalt: bigint,
): Promise<ProvenLinear> {
  assertModel(model)
  const padded = paddedRecords(records, prover.size)
  const opening = { outputs: computeLinear(records, model), salt: randomSalt() }
  const proof = await prover.prove({
    x: padded.map(record => record.map(String)),
    dataSalt: String(dataSalt),
    dataCommitment: String(
      await dataChunkCommitment(
        padded.flat(),
        records.length,
        dataSalt,
        prover.size * LINEAR_FEATURES,
      ),
    ),
    weights: model.weights.map(w => String(toField(w))),
    bias: String(toField(model.bias)),
    modelSalt: String(modelSalt),
    modelCommitment: String(await modelCommitment(model, modelSalt)),
    length: String(records.length),
    resultSalt: String(opening.salt),
  })
  return { proof, opening }
}

/** The commitments a chunk proof states, and how many records it covers. */
export function linearOf(chunk: ChunkProof): {
  resultCommitment: bigint
  dataCommitment: bigint
  modelCommitment: bigint
  length: number
} {
  const [result, data, model, length] = chunk.publicSignals.map(BigInt) as bigint[]
  return {
    resultCommitment: result!,
    dataCommitment: data!,
    modelCommitment: model!,
    length: Number(length),
  }
}

/**
 * Every chunk's outputs in dataset order, each opening checked against its proof's result
 * commitment. Throws ResultOpeningError naming the first that differs.
 */
export async function openLinear(
  proofs: readonly ChunkProof[],
  openings: readonly LinearOpening[],
): Promise<bigint[]> {
  if (openings.length !== proofs.length)
    throw new ResultOpeningError(
      openings.length,
      `${openings.length} openings for ${proofs.length} chunk proofs`,
    )
  const outputs: bigint[] = []
  for (const [i, opening] of openings.entries()) {
    const stated = linearOf(proofs[i]!)
    if (opening.outputs.length !== stated.length)
      throw new ResultOpeningError(
        i,
        `${opening.outputs.length} outputs for the ${stated.length} records its proof covers`,
      )
    if ((await linearResultCommitment(opening, proofs[i]!.size)) !== stated.resultCommitment)
      throw new ResultOpeningError(i, 'its outputs or salt are not what its proof committed to')
    outputs.push(...opening.outputs)
  }
  return outputs
}

const coder = AbiCoder.defaultAbiCoder()

/**
 * The job result hash: keccak256(abi.encode(modelCommitment, uint256[] resultCommitments)),
 * the chunks in order. It binds the outputs without revealing them.
 */
export function linearResultHash(proofs: readonly ChunkProof[]): string {
  const parts = proofs.map(linearOf)
  return keccak256(
    coder.encode(
      ['uint256', 'uint256[]'],
      [parts[0]?.modelCommitment ?? 0n, parts.map(p => p.resultCommitment)],
    ),
  )
}

/** The `proof` bytes ModelJobVerifier takes: abi.encode of (a, b, c, public signals) per chunk. */
export function encodeLinearProofs(chunks: readonly ChunkProof[]): string {
  return encodeChunkProofs(proofSystemOf('linear'), CIRCUITS.linear.publicSignals, chunks)
}
