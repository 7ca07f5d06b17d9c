/**
 * What a node computes for a job, once its dataset is open: the chunk proofs, the result
 * hash the chain checks them against (over the proofs' result commitments, so the chain
 * learns no number), and the plaintext result with each commitment's opening, for the
 * submitter alone.
 * `stats` runs over a column; `linear` over records of LINEAR_FEATURES features; `sum`
 * multiplies Paillier ciphertexts (no proof: it is checked by re-execution).
 * @module
 */
import {
  CircuitProver,
  encodeLinearProofs,
  encodeStatsProofs,
  LINEAR_FEATURES,
  type LinearModel,
  linearResultHash,
  modelCommitment,
  type ProvenLinear,
  type ProvenStats,
  proveLinear,
  proveStats,
  statsResultHash,
} from '../../protocol/proof/index.ts'
import {
  addPaillierDatasets,
  checkDatasetShape,
  type JobCircuitSizes,
  type JobSpec,
  type LinearJobResult,
  type NumericDataset,
  type PaillierDataset,
  type StatsJobResult,
  type SumJobResult,
  sumResultHash,
} from '../../protocol/wire/index.ts'

export interface ComputedJob {
  resultHash: string
  /** The `proof` bytes of completeJob ('0x' for a sum). */
  proof: string
  result: StatsJobResult | LinearJobResult | SumJobResult
}

/** A job's opened input: the numeric dataset of stats and linear, the datasets of a sum. */
export type JobInput =
  | { kind: 'numeric'; dataset: NumericDataset }
  | { kind: 'paillier'; datasets: PaillierDataset[] }

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
  input: JobInput,
  sizes: JobCircuitSizes,
  provers: ProverCache,
): Promise<ComputedJob> {
  if (spec.kind === 'sum' || input.kind === 'paillier') {
    if (spec.kind !== 'sum' || input.kind !== 'paillier')
      throw new TypeError(`a ${spec.kind} job was given ${input.kind} input`)
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
  const { dataset } = input
  if (spec.kind === 'stats') {
    checkDatasetShape('stats', spec.dataset, dataset.manifest, sizes)
    const prover = provers.get('stats', sizes.statsSize)
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
  checkDatasetShape('linear', spec.dataset, dataset.manifest, sizes)
  const prover = provers.get('linear', sizes.linearRecords)
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
