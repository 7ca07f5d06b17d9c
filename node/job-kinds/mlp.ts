/** A node's side of `mlp`: run the sealed network over every record, proving each chunk. */
import {
  type JobSpec,
  mlpModelOfSpec,
  specModelCommitment,
} from '../../protocol/job-kinds/index.ts'
import { encodeMlpProofs, MLP_RECORDS, proveMlp } from '../../protocol/proof/index.ts'
import { checkDatasetShape } from '../../protocol/wire/index.ts'
import type { KindComputation } from './kind-computation.ts'
import { proveModelChunks } from './linear.ts'

export const computeMlp: KindComputation<Extract<JobSpec, { kind: 'mlp' }>> = async (
  spec,
  input,
  context,
) => {
  const dataset = context.numeric(input)
  checkDatasetShape('mlp', spec.dataset, dataset.manifest, context.sizes)
  const prover = context.provers.get('mlp', MLP_RECORDS)
  const model = mlpModelOfSpec(spec.model)
  const modelSalt = BigInt(spec.modelSalt)
  return proveModelChunks(
    spec.jobId,
    dataset,
    (records, dataSalt) => proveMlp(prover, records, dataSalt, model, modelSalt),
    encodeMlpProofs,
    await specModelCommitment(spec),
  )
}
