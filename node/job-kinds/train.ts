/** A node's side of `train-linear` and `train-logistic`: fit on the table, return the model as ONNX (attested). */
import {
  attestedResultHash,
  attestedSignals,
  type JobSpec,
  TrainLinearJobResultSchema,
  TrainLogisticJobResultSchema,
} from '../../protocol/job-kinds/index.ts'
import { denseOnnxModel } from '../../protocol/models/index.ts'
import { tableFeatures } from '../../protocol/wire/index.ts'
import {
  classificationQuality,
  fitLeastSquares,
  fitLogistic,
  regressionQuality,
  splitHeldOut,
} from '../training/fit-linear-models.ts'
import type { KindComputation } from './kind-computation.ts'

type TrainSpec<Kind extends 'train-linear' | 'train-logistic'> = Extract<JobSpec, { kind: Kind }>

/** The parts both kinds share: the records split, the fit, its model and the result's frame. */
async function train(
  spec: TrainSpec<'train-linear'> | TrainSpec<'train-logistic'>,
  dataset: Parameters<typeof tableFeatures>[0],
) {
  const width = spec.features.length
  const features = tableFeatures(dataset, spec.features)
  const target = tableFeatures(dataset, [spec.target])
  const { train: rows, heldOut } = splitHeldOut(dataset.records)
  const logistic = spec.kind === 'train-logistic'
  const fit = (logistic ? fitLogistic : fitLeastSquares)(features, width, target, rows)
  const onnx = denseOnnxModel([
    {
      weights: fit.weights.map(w => [w]),
      bias: [fit.bias],
      activation: logistic ? 'sigmoid' : 'none',
    },
  ])
  const quality = logistic
    ? classificationQuality(fit, features, width, target, heldOut)
    : regressionQuality(fit, features, width, target, heldOut)
  return {
    jobId: spec.jobId,
    datasetRoot: dataset.manifest.root,
    dataset: spec.dataset,
    features: spec.features,
    target: spec.target,
    weights: fit.weights,
    bias: fit.bias,
    onnx: Buffer.from(onnx).toString('base64'),
    trainRecords: rows.length,
    heldOutRecords: heldOut.length,
    heldOut: quality,
  }
}

/** The computation of a training kind: fit, then hash the result as its kind's schema orders it. */
function trainComputation<Kind extends 'train-linear' | 'train-logistic'>(
  schema: typeof TrainLinearJobResultSchema | typeof TrainLogisticJobResultSchema,
): KindComputation<TrainSpec<Kind>> {
  return async (spec, input, context) => {
    const { dataset } = context.table(input)
    const result = schema.parse(await train(spec, dataset))
    return {
      resultHash: attestedResultHash(result),
      proof: '0x',
      publicSignals: attestedSignals(dataset.manifest.root),
      result,
    }
  }
}

export const computeTrainLinear = trainComputation<'train-linear'>(TrainLinearJobResultSchema)
export const computeTrainLogistic = trainComputation<'train-logistic'>(TrainLogisticJobResultSchema)
