/** A node's side of `stats`: prove every chunk of the column, total the openings. */
import type { JobSpec } from '../../protocol/job-kinds/index.ts'
import {
  encodeStatsProofs,
  type ProvenStats,
  proveStats,
  statsResultHash,
} from '../../protocol/proof/index.ts'
import { checkDatasetShape } from '../../protocol/wire/index.ts'
import type { KindComputation } from './kind-computation.ts'

export const computeStats: KindComputation<Extract<JobSpec, { kind: 'stats' }>> = async (
  spec,
  input,
  context,
) => {
  const dataset = context.numeric(input)
  checkDatasetShape('stats', spec.dataset, dataset.manifest, context.sizes)
  const prover = context.provers.get('stats', context.sizes.statsSize)
  const threshold = BigInt(spec.threshold)
  const proven: ProvenStats[] = []
  for (const chunk of dataset.chunks)
    proven.push(await proveStats(prover, chunk.values, chunk.salt, threshold))
  const proofs = proven.map(p => p.proof)
  const total = (field: 'count' | 'sum' | 'sumOfSquares') =>
    String(proven.reduce((t, p) => t + p.opening[field], 0n))
  return {
    resultHash: statsResultHash(proofs),
    proof: encodeStatsProofs(proofs),
    result: {
      jobId: spec.jobId,
      count: total('count'),
      sum: total('sum'),
      sumOfSquares: total('sumOfSquares'),
      threshold: spec.threshold,
      chunks: proven.map(({ opening: o }) => ({
        count: String(o.count),
        sum: String(o.sum),
        sumOfSquares: String(o.sumOfSquares),
        salt: String(o.salt),
      })),
      proofs,
    },
  }
}
