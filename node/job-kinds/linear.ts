/** A node's side of `linear`: run the sealed model over every record, proving each chunk. */
import type { JobSpec } from '../../protocol/job-kinds/index.ts'
import {
  encodeLinearProofs,
  LINEAR_FEATURES,
  type LinearModel,
  linearResultHash,
  modelCommitment,
  type ProvenLinear,
  proveLinear,
} from '../../protocol/proof/index.ts'
import { checkDatasetShape } from '../../protocol/wire/index.ts'
import type { KindComputation } from './kind-computation.ts'

export const computeLinear: KindComputation<Extract<JobSpec, { kind: 'linear' }>> = async (
  spec,
  input,
  context,
) => {
  const dataset = context.numeric(input)
  checkDatasetShape('linear', spec.dataset, dataset.manifest, context.sizes)
  const prover = context.provers.get('linear', context.sizes.linearRecords)
  const model: LinearModel = {
    weights: spec.model.weights.map(BigInt),
    bias: BigInt(spec.model.bias),
  }
  const modelSalt = BigInt(spec.modelSalt)
  const proven: ProvenLinear[] = []
  for (const chunk of dataset.chunks) {
    const records = Array.from({ length: chunk.values.length / LINEAR_FEATURES }, (_, r) =>
      chunk.values.slice(r * LINEAR_FEATURES, (r + 1) * LINEAR_FEATURES),
    )
    proven.push(await proveLinear(prover, records, chunk.salt, model, modelSalt))
  }
  const proofs = proven.map(p => p.proof)
  return {
    resultHash: linearResultHash(proofs),
    proof: encodeLinearProofs(proofs),
    result: {
      jobId: spec.jobId,
      modelCommitment: String(await modelCommitment(model, modelSalt)),
      outputs: proven.flatMap(p => p.opening.outputs.map(String)),
      salts: proven.map(p => String(p.opening.salt)),
      proofs,
    },
  }
}
