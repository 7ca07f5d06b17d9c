/** A node's side of `onnx`: run the submitter's model over the table's records (attested). */
import {
  attestedResultHash,
  attestedSignals,
  type JobSpec,
  OnnxJobResultSchema,
} from '../../protocol/job-kinds/index.ts'
import { runOnnxModel } from '../../protocol/models/index.ts'
import { tableFeatures } from '../../protocol/wire/index.ts'
import type { KindComputation } from './kind-computation.ts'

export const computeOnnx: KindComputation<Extract<JobSpec, { kind: 'onnx' }>> = async (
  spec,
  input,
  context,
) => {
  const { dataset, model } = context.table(input)
  if (!model) throw new TypeError('an onnx job was given no model')
  const features = tableFeatures(dataset, spec.inputs)
  const outputs = await runOnnxModel(model, features, dataset.records, spec.inputs.length)
  const result = OnnxJobResultSchema.parse({
    jobId: spec.jobId,
    datasetRoot: dataset.manifest.root,
    dataset: spec.dataset,
    model: spec.model.sha256,
    inputs: spec.inputs,
    records: dataset.records,
    outputs: outputs.map(o => ({
      name: o.name,
      shape: o.shape,
      float32: Buffer.from(o.values.buffer, o.values.byteOffset, o.values.byteLength).toString(
        'base64',
      ),
    })),
  })
  return {
    resultHash: attestedResultHash(result),
    proof: '0x',
    publicSignals: attestedSignals(dataset.manifest.root, spec.model.sha256),
    result,
  }
}
