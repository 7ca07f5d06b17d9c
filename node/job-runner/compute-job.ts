/**
 * What a node computes for a job, once its dataset is open: the chunk proofs, the result
 * hash the chain checks them against, and the plaintext result for the submitter.
 * `stats` runs over a column; `linear` over records of LINEAR_FEATURES features.
 * @module
 */
import {
  type ChunkProof,
  CircuitProver,
  combineStats,
  encodeLinearProofs,
  encodeStatsProofs,
  LINEAR_FEATURES,
  type LinearModel,
  linearOf,
  linearResultHash,
  modelCommitment,
  proveLinear,
  proveStats,
  statsResultHash,
} from '../../protocol/proof/index.ts'
import {
  checkDatasetShape,
  type JobCircuitSizes,
  type JobSpec,
  type LinearJobResult,
  type NumericDataset,
  type StatsJobResult,
} from '../../protocol/wire/index.ts'

export interface ComputedJob {
  resultHash: string
  /** The `proof` bytes of completeJob. */
  proof: string
  result: StatsJobResult | LinearJobResult
}

/** Loads each circuit's proving key once per runner. */
export class ProverCache {
  readonly #provers = new Map<string, CircuitProver>()

  get(circuit: 'stats' | 'linear', size: number): CircuitProver {
    const key = `${circuit}:${size}`
    let prover = this.#provers.get(key)
    if (!prover) {
      prover = CircuitProver.load(circuit, size)
      this.#provers.set(key, prover)
    }
    return prover
  }
}

export async function computeJob(
  spec: JobSpec,
  dataset: NumericDataset,
  sizes: JobCircuitSizes,
  provers: ProverCache,
): Promise<ComputedJob> {
  if (spec.kind === 'stats') {
    checkDatasetShape('stats', spec.dataset, dataset.manifest, sizes)
    const prover = provers.get('stats', sizes.statsSize)
    const threshold = BigInt(spec.threshold)
    const proofs: ChunkProof[] = []
    for (const chunk of dataset.chunks)
      proofs.push(await proveStats(prover, chunk.values, chunk.salt, threshold))
    const stats = combineStats(proofs)
    return {
      resultHash: statsResultHash(stats, threshold),
      proof: encodeStatsProofs(proofs),
      result: {
        jobId: spec.jobId,
        count: String(stats.count),
        sum: String(stats.sum),
        sumOfSquares: String(stats.sumOfSquares),
        threshold: spec.threshold,
        proofs,
      },
    }
  }
  checkDatasetShape('linear', spec.dataset, dataset.manifest, sizes)
  const prover = provers.get('linear', sizes.linearRecords)
  const model: LinearModel = {
    weights: spec.model.weights.map(BigInt),
    bias: BigInt(spec.model.bias),
  }
  const modelSalt = BigInt(spec.modelSalt)
  const proofs: ChunkProof[] = []
  for (const chunk of dataset.chunks) {
    const records = Array.from({ length: chunk.values.length / LINEAR_FEATURES }, (_, r) =>
      chunk.values.slice(r * LINEAR_FEATURES, (r + 1) * LINEAR_FEATURES),
    )
    proofs.push(await proveLinear(prover, records, chunk.salt, model, modelSalt))
  }
  const committed = await modelCommitment(model, modelSalt)
  const outputs = proofs.flatMap(p => linearOf(p).outputs)
  return {
    resultHash: linearResultHash(committed, outputs),
    proof: encodeLinearProofs(proofs),
    result: {
      jobId: spec.jobId,
      modelCommitment: String(committed),
      outputs: outputs.map(String),
      proofs,
    },
  }
}
