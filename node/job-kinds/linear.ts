/** A node's side of `linear`: run the sealed model over every record, proving each chunk. */
import {
  type JobSpec,
  type LinearJobResult,
  linearModelOfSpec,
  specModelCommitment,
} from '../../protocol/job-kinds/index.ts'
import {
  type ChunkProof,
  encodeLinearProofs,
  LINEAR_FEATURES,
  linearResultHash,
  type ProvenLinear,
  proveLinear,
} from '../../protocol/proof/index.ts'
import { checkDatasetShape, type NumericDataset } from '../../protocol/wire/index.ts'
import type { ComputedJob, KindComputation } from './kind-computation.ts'

/**
 * Proves a model kind's chunks one by one (`prove` takes a chunk's records and its data
 * salt) and assembles the job: linear's result layout, which mlp shares.
 */
export async function proveModelChunks(
  jobId: string,
  dataset: NumericDataset,
  prove: (records: bigint[][], dataSalt: bigint) => Promise<ProvenLinear>,
  encode: (proofs: readonly ChunkProof[]) => string,
  commitment: bigint,
): Promise<ComputedJob & { result: LinearJobResult }> {
  const proven: ProvenLinear[] = []
  for (const chunk of dataset.chunks) {
    const records = Array.from({ length: chunk.values.length / LINEAR_FEATURES }, (_, r) =>
      chunk.values.slice(r * LINEAR_FEATURES, (r + 1) * LINEAR_FEATURES),
    )
    proven.push(await prove(records, chunk.salt))
  }
  const proofs = proven.map(p => p.proof)
  return {
    resultHash: linearResultHash(proofs),
    proof: encode(proofs),
    result: {
      jobId,
      modelCommitment: String(commitment),
      outputs: proven.flatMap(p => p.opening.outputs.map(String)),
      salts: proven.map(p => String(p.opening.salt)),
      proofs,
    },
  }
}

export const computeLinear: KindComputation<Extract<JobSpec, { kind: 'linear' }>> = async (
  spec,
  input,
  context,
) => {
  const dataset = context.numeric(input)
  checkDatasetShape('linear', spec.dataset, dataset.manifest, context.sizes)
  const prover = context.provers.get('linear', context.sizes.linearRecords)
  const model = linearModelOfSpec(spec.model)
  const modelSalt = BigInt(spec.modelSalt)
  return proveModelChunks(
    spec.jobId,
    dataset,
    (records, dataSalt) => proveLinear(prover, records, dataSalt, model, modelSalt),
    encodeLinearProofs,
    await specModelCommitment(spec),
  )
}
