/** Build a job's spec and seal it with the project key; nothing is sent. */
import { randomBytes } from 'node:crypto'
import { keccak256 } from 'ethers'
import type { EnvelopeKey } from '../../../protocol/crypto/index.ts'
import {
  attestedInputCommitment,
  type JobSpec,
  mlpSpecModelOf,
} from '../../../protocol/job-kinds/index.ts'
import {
  type LinearModel,
  type MlpModel,
  mlpModelCommitment,
  modelCommitment,
  randomSalt,
} from '../../../protocol/proof/index.ts'
import { specContext, sumInputCommitment } from '../../../protocol/wire/index.ts'
import { sealJson, type UploadedDataset } from './upload-dataset.ts'

export interface PreparedJob {
  jobId: string
  project: string
  kind: JobSpec['kind']
  /** The spec sealed with the project key. */
  sealed: Uint8Array
  /** Recorded on chain: keccak256 of the sealed spec. */
  specHash: string
  inputCommitment: string
}

/**
 * What a job computes: `stats` of a column's values ≥ threshold, a `linear` model or an
 * `mlp` per record, the encrypted `sum` of a Paillier dataset and of `more` such datasets,
 * an `onnx` model over a table, or a training.
 */
export type JobParams =
  | { kind: 'stats'; threshold: bigint }
  | {
      kind: 'linear'
      model: LinearModel
      /** The salt of its commitment: a deployment's (see model-deployment.ts), else fresh. */
      modelSalt?: bigint
    }
  | {
      kind: 'mlp'
      model: MlpModel
      /** The salt of its commitment: fresh if absent. */
      modelSalt?: bigint
    }
  | { kind: 'sum'; more?: readonly UploadedDataset[] }
  | {
      kind: 'onnx'
      /** The table's columns the model reads, in its input order. */
      inputs: readonly string[]
      /** The model, a file dataset of the project (uploadOnnxModel), and its SHA-256. */
      model: UploadedDataset & { sha256: string }
    }
  | TrainParams<'train-linear'>
  | TrainParams<'train-logistic'>

/** A training job: the columns the model reads, and the one it predicts. */
export interface TrainParams<Kind extends 'train-linear' | 'train-logistic'> {
  kind: Kind
  features: readonly string[]
  target: string
}

export interface JobRequest {
  projectKey: EnvelopeKey
  project: string
  dataset: UploadedDataset
  params: JobParams
  /** The submitter's identity name: the result is sealed to its registered key. */
  submitter: string
}

/**
 * Builds and seals a job spec. A linear model travels only inside the sealed spec (with
 * a fresh salt), so only the project's members and nodes learn it; the chain and the
 * proofs see its commitment.
 */
export function prepareJob(request: JobRequest): PreparedJob {
  const { project, dataset, params } = request
  const jobId = `0x${randomBytes(32).toString('hex')}`
  const base = {
    jobId,
    project,
    dataset: dataset.dataset,
    manifest: dataset.manifest,
    submitter: request.submitter,
  }
  const more = params.kind === 'sum' ? (params.more ?? []) : []
  const spec: JobSpec =
    params.kind === 'onnx'
      ? {
          ...base,
          kind: 'onnx',
          inputs: [...params.inputs],
          model: {
            dataset: params.model.dataset,
            manifest: params.model.manifest,
            sha256: params.model.sha256,
          },
        }
      : params.kind === 'train-linear' || params.kind === 'train-logistic'
        ? { ...base, kind: params.kind, features: [...params.features], target: params.target }
        : params.kind === 'stats'
          ? { ...base, kind: 'stats', threshold: String(params.threshold) }
          : params.kind === 'linear'
            ? {
                ...base,
                kind: 'linear',
                model: {
                  weights: params.model.weights.map(String),
                  bias: String(params.model.bias),
                },
                modelSalt: String(params.modelSalt ?? randomSalt()),
              }
            : params.kind === 'mlp'
              ? {
                  ...base,
                  kind: 'mlp',
                  model: mlpSpecModelOf(params.model),
                  modelSalt: String(params.modelSalt ?? randomSalt()),
                }
              : {
                  ...base,
                  kind: 'sum',
                  more: more.map(d => ({ dataset: d.dataset, manifest: d.manifest })),
                }
  const sealed = sealJson(request.projectKey, specContext(project, jobId), spec)
  return {
    jobId,
    project,
    kind: spec.kind,
    sealed,
    specHash: keccak256(sealed),
    inputCommitment:
      params.kind === 'sum'
        ? sumInputCommitment([dataset.root, ...more.map(d => d.root)])
        : params.kind === 'onnx'
          ? attestedInputCommitment(dataset.root, params.model.sha256)
          : params.kind === 'train-linear' || params.kind === 'train-logistic'
            ? attestedInputCommitment(dataset.root)
            : dataset.root,
  }
}

/** Builds and seals a `stats` job spec (count, sum, sum of squares of values ≥ threshold). */
export function prepareStatsJob(
  options: Omit<JobRequest, 'params'> & { threshold: bigint },
): PreparedJob {
  return prepareJob({ ...options, params: { kind: 'stats', threshold: options.threshold } })
}

/**
 * What the submitter asked for, to hold a delivered result to: the node's opened result
 * states its threshold, model commitment and datasets, and those are checked against
 * these, not taken on the node's word.
 */
export type JobExpectation =
  | { kind: 'stats'; threshold: bigint }
  | { kind: 'linear' | 'mlp'; modelCommitment: bigint }
  | { kind: 'sum'; datasets: readonly string[] }
  | { kind: 'onnx'; model: string; inputs: readonly string[] }
  | TrainParams<'train-linear'>
  | TrainParams<'train-logistic'>

/** The salted commitment of a model job's model, as its proofs state it. */
export function jobModelCommitment(
  params: Extract<JobParams, { kind: 'linear' | 'mlp' }> & { modelSalt: bigint },
): Promise<bigint> {
  return params.kind === 'linear'
    ? modelCommitment(params.model, params.modelSalt)
    : mlpModelCommitment(params.model, params.modelSalt)
}

/** The expectation of a job submitted with `params` over `dataset` (a linear model needs its salt). */
export async function jobExpectation(
  request: Pick<JobRequest, 'dataset' | 'params'>,
): Promise<JobExpectation> {
  const { params } = request
  if (params.kind === 'stats') return { kind: 'stats', threshold: params.threshold }
  if (params.kind === 'onnx')
    return { kind: 'onnx', model: params.model.sha256, inputs: [...params.inputs] }
  if (params.kind === 'train-linear' || params.kind === 'train-logistic')
    return { kind: params.kind, features: [...params.features], target: params.target }
  if (params.kind === 'linear' || params.kind === 'mlp') {
    if (params.modelSalt === undefined)
      throw new RangeError(
        `a ${params.kind} job's expectation needs the model salt it was submitted with`,
      )
    return {
      kind: params.kind,
      modelCommitment: await jobModelCommitment({ ...params, modelSalt: params.modelSalt }),
    }
  }
  return {
    kind: 'sum',
    datasets: [request.dataset.dataset, ...(params.more ?? []).map(d => d.dataset)],
  }
}
