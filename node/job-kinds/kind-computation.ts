/** What a node computes for a job of one kind, once its input is open. */
import type {
  JobSpec,
  LinearJobResult,
  StatsJobResult,
  SumJobResult,
} from '../../protocol/job-kinds/index.ts'
import { type ChunkProver, type CircuitName, proofSystemOf } from '../../protocol/proof/index.ts'
import type { JobCircuitSizes, NumericDataset, PaillierDataset } from '../../protocol/wire/index.ts'

export interface ComputedJob {
  resultHash: string
  /** The `proof` bytes of completeJob ('0x' for a kind checked by re-execution). */
  proof: string
  result: StatsJobResult | LinearJobResult | SumJobResult
}

/** A job's opened input: the numeric dataset of stats and linear, the datasets of a sum. */
export type JobInput =
  | { kind: 'numeric'; dataset: NumericDataset }
  | { kind: 'paillier'; datasets: PaillierDataset[] }

export interface KindContext {
  sizes: JobCircuitSizes
  provers: ProverCache
  /** The numeric dataset of `input`; TypeError if the input is another shape. */
  numeric(input: JobInput): NumericDataset
  /** The Paillier datasets of `input`; TypeError if the input is another shape. */
  paillier(input: JobInput): PaillierDataset[]
}

export type KindComputation<Spec extends JobSpec> = (
  spec: Spec,
  input: JobInput,
  context: KindContext,
) => Promise<ComputedJob>

/** Loads each circuit's prover (from its proof system) once per runner. */
export class ProverCache {
  readonly #provers = new Map<string, ChunkProver>()

  get(circuit: CircuitName, size: number): ChunkProver {
    const key = `${circuit}:${size}`
    let prover = this.#provers.get(key)
    if (!prover) {
      prover = proofSystemOf(circuit).load(circuit, size)
      this.#provers.set(key, prover)
    }
    return prover
  }
}
