/**
 * `mlp` (fixed-point y = W2·ReLU(W1·x + b1) + b2, one hidden layer) over committed chunks
 * of records, with a committed model. Its proofs have linear's public signals
 * [resultCommitment, dataCommitment, modelCommitment, length], so linearOf, openLinear and
 * linearResultHash read, open and combine them too, and ModelJobVerifier checks both kinds.
 *
 * Nothing is rescaled inside the circuit: an output is exact, at the scale of the features
 * times both layers' weight scales, and the submitter divides.
 * @module
 */
import { chunkCommitment, dataChunkCommitment, randomSalt } from './chunk-commitment.ts'
import { CIRCUITS, LINEAR_FEATURES, MLP_HIDDEN, MLP_WEIGHT_BITS, VALUE_BITS } from './circuits.ts'
import { InvalidWitnessError } from './errors.ts'
import { type ProvenLinear, paddedRecords, toField } from './linear-proof.ts'
import { type ChunkProof, type ChunkProver, encodeChunkProofs } from './proof-system.ts'
import { proofSystemOf } from './proof-systems.ts'

export interface MlpModel {
  /** One row of LINEAR_FEATURES weights per hidden unit (at most MLP_HIDDEN units). */
  hiddenWeights: readonly (readonly bigint[])[]
  /** One bias per hidden unit. */
  hiddenBiases: readonly bigint[]
  /** One output weight per hidden unit. */
  outputWeights: readonly bigint[]
  outputBias: bigint
}

const bits = (n: number) => n.toString(2).length
/** Bounds the circuit checks (mlp.circom): b1 below 2^(BITS+WBITS), b2 below 2^OB. */
const HIDDEN_BIAS_BITS = VALUE_BITS + MLP_WEIGHT_BITS
const OUTPUT_BIAS_BITS =
  VALUE_BITS + MLP_WEIGHT_BITS + bits(LINEAR_FEATURES) + MLP_WEIGHT_BITS + bits(MLP_HIDDEN)

/** The model padded to MLP_HIDDEN units with zero units (which add nothing to an output). */
function padded(model: MlpModel): MlpModel {
  const missing = MLP_HIDDEN - model.hiddenWeights.length
  return {
    hiddenWeights: [
      ...model.hiddenWeights,
      ...Array.from({ length: missing }, () => Array<bigint>(LINEAR_FEATURES).fill(0n)),
    ],
    hiddenBiases: [...model.hiddenBiases, ...Array<bigint>(missing).fill(0n)],
    outputWeights: [...model.outputWeights, ...Array<bigint>(missing).fill(0n)],
    outputBias: model.outputBias,
  }
}

/** InvalidWitnessError naming the first part of the model the circuit can't take. */
export function assertMlpModel(model: MlpModel): void {
  const units = model.hiddenWeights.length
  if (units < 1 || units > MLP_HIDDEN)
    throw new InvalidWitnessError(`the model needs 1 to ${MLP_HIDDEN} hidden units; got ${units}`)
  if (model.hiddenBiases.length !== units || model.outputWeights.length !== units)
    throw new InvalidWitnessError(
      `the model has ${units} hidden units but ${model.hiddenBiases.length} hidden biases and ${model.outputWeights.length} output weights`,
    )
  const inRange = (name: string, v: bigint, limitBits: number) => {
    const limit = 1n << BigInt(limitBits)
    if (v <= -limit || v >= limit)
      throw new InvalidWitnessError(
        `${name} is ${v}; it must be above -2^${limitBits} and below 2^${limitBits}`,
      )
  }
  model.hiddenWeights.forEach((row, k) => {
    if (row.length !== LINEAR_FEATURES)
      throw new InvalidWitnessError(
        `hidden unit ${k} has ${row.length} weights; the model takes ${LINEAR_FEATURES} features`,
      )
    row.forEach((w, j) => {
      inRange(`hidden weight ${k}.${j}`, w, MLP_WEIGHT_BITS)
    })
    inRange(`hidden bias ${k}`, model.hiddenBiases[k]!, HIDDEN_BIAS_BITS)
    inRange(`output weight ${k}`, model.outputWeights[k]!, MLP_WEIGHT_BITS)
  })
  inRange('output bias', model.outputBias, OUTPUT_BIAS_BITS)
}

/**
 * The model's public commitment, over the padded model: hidden weights row by row, hidden
 * biases, output weights, output bias, as field elements, salted.
 */
export function mlpModelCommitment(model: MlpModel, salt: bigint): Promise<bigint> {
  const m = padded(model)
  const values = [...m.hiddenWeights.flat(), ...m.hiddenBiases, ...m.outputWeights, m.outputBias]
  return chunkCommitment(values.map(toField), salt, values.length)
}

/** W2·ReLU(W1·x + b1) + b2 for each record, in plain arithmetic. */
export function computeMlp(records: readonly (readonly bigint[])[], model: MlpModel): bigint[] {
  return records.map(x =>
    model.hiddenWeights.reduce((y, row, k) => {
      const pre = row.reduce((acc, w, j) => acc + w * x[j]!, model.hiddenBiases[k]!)
      return y + model.outputWeights[k]! * (pre > 0n ? pre : 0n)
    }, model.outputBias),
  )
}

/**
 * Proves the model's outputs for one chunk of at most `prover.size` records, committed
 * under a fresh salt; the opening is linear's (an output per record, a salt).
 * @example const { proof, opening } = await proveMlp(CircuitProver.load('mlp', 4), records, dataSalt, model, modelSalt)
 */
export async function proveMlp(
  prover: ChunkProver,
  records: readonly (readonly bigint[])[],
  dataSalt: bigint,
  model: MlpModel,
  modelSalt: bigint,
): Promise<ProvenLinear> {
  assertMlpModel(model)
  const rows = paddedRecords(records, prover.size)
  const m = padded(model)
  const field = (v: bigint) => String(toField(v))
  const opening = { outputs: computeMlp(records, model), salt: randomSalt() }
  const proof = await prover.prove({
    x: rows.map(record => record.map(String)),
    dataSalt: String(dataSalt),
    dataCommitment: String(
      await dataChunkCommitment(
        rows.flat(),
        records.length,
        dataSalt,
        prover.size * LINEAR_FEATURES,
      ),
    ),
    w1: m.hiddenWeights.map(row => row.map(field)),
    b1: m.hiddenBiases.map(field),
    w2: m.outputWeights.map(field),
    b2: field(m.outputBias),
    modelSalt: String(modelSalt),
    modelCommitment: String(await mlpModelCommitment(model, modelSalt)),
    length: String(records.length),
    resultSalt: String(opening.salt),
  })
  return { proof, opening }
}

/** The `proof` bytes ModelJobVerifier takes for mlp: abi.encode of (a, b, c, public signals) per chunk. */
export function encodeMlpProofs(chunks: readonly ChunkProof[]): string {
  return encodeChunkProofs(proofSystemOf('mlp'), CIRCUITS.mlp.publicSignals, chunks)
}
