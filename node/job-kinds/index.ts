/**
 * Each job kind's computation on a node, by kind name: typed to cover every kind of the
 * registry (protocol/job-kinds), so a kind without a node side fails to compile.
 * @module
 */
import type { JobKindName, JobSpec } from '../../protocol/job-kinds/index.ts'
import type { JobCircuitSizes } from '../../protocol/wire/index.ts'
import type { ComputedJob, JobInput, KindComputation, ProverCache } from './kind-computation.ts'
import { computeLinear } from './linear.ts'
import { computeMlp } from './mlp.ts'
import { computeOnnx } from './onnx.ts'
import { computeStats } from './stats.ts'
import { computeSum } from './sum.ts'
import { computeTrainLinear, computeTrainLogistic } from './train.ts'

export * from './kind-computation.ts'

const COMPUTATIONS: { [K in JobKindName]: KindComputation<Extract<JobSpec, { kind: K }>> } = {
  stats: computeStats,
  linear: computeLinear,
  mlp: computeMlp,
  sum: computeSum,
  onnx: computeOnnx,
  'train-linear': computeTrainLinear,
  'train-logistic': computeTrainLogistic,
}

/** The result, its hash and the proof bytes of `spec` over its opened `input`. */
export function computeJob(
  spec: JobSpec,
  input: JobInput,
  sizes: JobCircuitSizes,
  provers: ProverCache,
): Promise<ComputedJob> {
  const compute = COMPUTATIONS[spec.kind] as KindComputation<JobSpec>
  const wrongInput = (given: JobInput) =>
    new TypeError(`a ${spec.kind} job was given ${given.kind} input`)
  return compute(spec, input, {
    sizes,
    provers,
    numeric(given) {
      if (given.kind !== 'numeric') throw wrongInput(given)
      return given.dataset
    },
    paillier(given) {
      if (given.kind !== 'paillier') throw wrongInput(given)
      return given.datasets
    },
    table(given) {
      if (given.kind !== 'table') throw wrongInput(given)
      return given
    },
  })
}
