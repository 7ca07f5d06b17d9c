/**
 * Checking a delivered result of an attested kind (ONNX inference, training) against the
 * chain: its hash as recorded, its dataset and model the ones the job committed to. That
 * is all a submitter can check without re-running it: the node vouches for the numbers,
 * and the result says so (`attested: true`).
 * @module
 */
import {
  attestedInputCommitment,
  attestedResultHash,
  OnnxJobResultSchema,
  onnxOutputValues,
  TrainLinearJobResultSchema,
  TrainLogisticJobResultSchema,
} from '../../../protocol/job-kinds/index.ts'
import { denseOnnxModel } from '../../../protocol/models/index.ts'
import type { awaitDeliveredResult } from './await-result.ts'
import { JobResultMismatchError } from './errors.ts'

type Delivered = Awaited<ReturnType<typeof awaitDeliveredResult>>

export interface VerifiedOnnxResult {
  kind: 'onnx'
  /** Vouched for by the node that ran it; not proven. */
  attested: true
  jobId: string
  node: string
  /** SHA-256 of the model run. */
  model: string
  datasetRoot: string
  inputs: string[]
  records: number
  outputs: Array<{ name: string; shape: number[]; values: Float32Array }>
  phases: Record<string, number>
}

/** A checked training result (one member a kind, so `kind` narrows it). */
export type VerifiedTrainResult =
  | (TrainResultFields & { kind: 'train-linear' })
  | (TrainResultFields & { kind: 'train-logistic' })

interface TrainResultFields {
  attested: true
  jobId: string
  node: string
  datasetRoot: string
  features: string[]
  target: string
  weights: number[]
  bias: number
  /** The fitted model as ONNX: run it with an `onnx` job, or anywhere. */
  onnx: Uint8Array
  trainRecords: number
  heldOutRecords: number
  /** RMSE and R² (train-linear), or accuracy and log loss (train-logistic), on held-out records. */
  heldOut: Record<string, number>
  phases: Record<string, number>
}

/** Throws unless `result` hashes to the chain's record and states the inputs the job committed to. */
function requireRecorded(
  delivered: Delivered,
  result: { jobId: string; datasetRoot: string },
  model?: string,
) {
  const { job } = delivered
  if (attestedResultHash(result) !== job.resultHash)
    throw new JobResultMismatchError(result.jobId, 'its hash is not the one recorded on chain')
  if (attestedInputCommitment(result.datasetRoot, model) !== job.inputCommitment)
    throw new JobResultMismatchError(
      result.jobId,
      'it names another dataset or model than the job was submitted with',
    )
}

/** A delivered ONNX result checked: hash as recorded, dataset and model as committed, outputs whole. */
export function checkOnnxResult(delivered: Delivered): VerifiedOnnxResult {
  const result = OnnxJobResultSchema.parse(delivered.opened)
  requireRecorded(delivered, result, result.model)
  const outputs = result.outputs.map(output => {
    const values = onnxOutputValues(output)
    const size = output.shape.reduce((n, d) => n * d, 1)
    if (values.length !== size)
      throw new JobResultMismatchError(
        result.jobId,
        `output ${output.name} holds ${values.length} values; its shape says ${size}`,
      )
    return { name: output.name, shape: output.shape, values }
  })
  return {
    kind: 'onnx',
    attested: true,
    jobId: result.jobId,
    node: delivered.node,
    model: result.model,
    datasetRoot: result.datasetRoot,
    inputs: result.inputs,
    records: result.records,
    outputs,
    phases: delivered.phases,
  }
}

/**
 * A delivered training result checked: hash as recorded, dataset as committed, and the
 * ONNX model exactly the one its stated weights make (so the file runs what it says).
 */
export const checkTrainResult =
  <Kind extends VerifiedTrainResult['kind']>(kind: Kind) =>
  (delivered: Delivered): TrainResultFields & { kind: Kind } => {
    const parsed = (
      kind === 'train-logistic' ? TrainLogisticJobResultSchema : TrainLinearJobResultSchema
    ).parse(delivered.opened)
    requireRecorded(delivered, parsed)
    const onnx = Buffer.from(parsed.onnx, 'base64')
    const expected = denseOnnxModel([
      {
        weights: parsed.weights.map(w => [w]),
        bias: [parsed.bias],
        activation: kind === 'train-logistic' ? 'sigmoid' : 'none',
      },
    ])
    if (!onnx.equals(expected))
      throw new JobResultMismatchError(
        parsed.jobId,
        'its ONNX model is not the one its weights make',
      )
    return {
      kind,
      attested: true,
      jobId: parsed.jobId,
      node: delivered.node,
      datasetRoot: parsed.datasetRoot,
      features: parsed.features,
      target: parsed.target,
      weights: parsed.weights,
      bias: parsed.bias,
      onnx: new Uint8Array(onnx),
      trainRecords: parsed.trainRecords,
      heldOutRecords: parsed.heldOutRecords,
      heldOut: parsed.heldOut,
      phases: delivered.phases,
    }
  }
