/** What a node computes for a job of one kind, once its input is open. */
import type {
  JobSpec,
  LinearJobResult,
  OnnxJobResult,
  StatsJobResult,
  SumJobResult,
  TrainLinearJobResult,
  TrainLogisticJobResult,
} from '../../protocol/job-kinds/index.ts'
import { type ChunkProver, type CircuitName, proofSystemOf } from '../../protocol/proof/index.ts'
import type {
  JobCircuitSizes,
  NumericDataset,
  PaillierDataset,
  TableDataset,
} from '../../protocol/wire/index.ts'

export interface ComputedJob {
  resultHash: string
  /** The `proof` bytes of completeJob ('0x' for a kind checked by re-execution or attested). */
  proof: string
  /** The public signals of completeJob: an attested kind's dataset root and model hash. */
  publicSignals?: bigint[]
  result:
    | StatsJobResult
    | LinearJobResult
    | SumJobResult
    | OnnxJobResult
    | TrainLinearJobResult
    | TrainLogisticJobResult
}

/** A job's opened input: the numeric dataset of stats and linear, the datasets of a sum, a table. */
export type JobInput =
  | { kind: 'numeric'; dataset: NumericDataset }
  | { kind: 'paillier'; datasets: PaillierDataset[] }
  /** A table dataset, and for an `onnx` job the model's bytes (checked against its SHA-256). */
  | { kind: 'table'; dataset: TableDataset; model?: Uint8Array }

export interface KindContext {
  sizes: JobCircuitSizes
  provers: ProverCache
  /** The numeric dataset of `input`; TypeError if the input is another shape. */
  numeric(input: JobInput): NumericDataset
  /** The Paillier datasets of `input`; TypeError if the input is another shape. */
  paillier(input: JobInput): PaillierDataset[]
  /** The table (and model) of `input`; TypeError if the input is another shape. */
  table(input: JobInput): Extract<JobInput, { kind: 'table' }>
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
