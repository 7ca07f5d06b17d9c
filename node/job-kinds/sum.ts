/** A node's side of `sum`: multiply the Paillier ciphertexts of every dataset (no proof). */
import type { JobSpec } from '../../protocol/job-kinds/index.ts'
import { addPaillierDatasets, sumResultHash } from '../../protocol/wire/index.ts'
import type { KindComputation } from './kind-computation.ts'

export const computeSum: KindComputation<Extract<JobSpec, { kind: 'sum' }>> = async (
  spec,
  input,
  context,
) => {
  const datasets = context.paillier(input)
  const sum = addPaillierDatasets(datasets)
  return {
    resultHash: sumResultHash(sum.total, sum.count),
    proof: '0x',
    result: {
      jobId: spec.jobId,
      project: spec.project,
      ...sum,
      datasets: datasets.map(d => d.manifest.dataset),
    },
  }
}
