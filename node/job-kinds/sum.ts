/** A node's side of `sum`: multiply the Paillier ciphertexts of every dataset (no proof). */
import type { JobSpec } from '../../protocol/job-kinds/index.ts'
import { addPaillierDatasets, sumResultHash } from '../../protocol/wire/index.ts'
import type { KindComputation } from './kind-computation.ts'

export const computeSum: KindComputation<Extract<JobSpec, { kind: 'sum' }>> = async (
  spec,
  input,
) => {
  if (input.kind !== 'paillier') throw new TypeError(`a sum job was given ${input.kind} input`)
  const sum = addPaillierDatasets(input.datasets)
  return {
    resultHash: sumResultHash(sum.total, sum.count),
    proof: '0x',
    result: {
      jobId: spec.jobId,
      project: spec.project,
      ...sum,
      datasets: input.datasets.map(d => d.manifest.dataset),
    },
  }
}
