/**
 * The demo, section 6b: AI jobs. A churn model trained by a node on sealed customers
 * (decimals, from a CSV), returned as ONNX and run by the network over new sealed
 * customers (attested); the same model, its weights made whole numbers, run as a proven
 * linear score (Groth16, checked on chain); the two compared; then a small neural network
 * (dense, ReLU, dense) over the same records, proven too.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseDecimalTable } from '../../client/cli/commands/numeric-column.ts'
import {
  awaitJobResult,
  type JobParams,
  onnxModelDataset,
  submitJob,
  type UploadedDataset,
  uploadNumericDataset,
  uploadTableDataset,
  type VerifiedJobResult,
} from '../../client/sdk/index.ts'
import { DEFAULT_VERIFIER_SIZES } from '../../protocol/ledger/index.ts'
import { computeMlp, MLP_RECORDS, type MlpModel } from '../../protocol/proof/index.ts'
import {
  TABLE_MAX_COLUMNS,
  TABLE_MAX_DECIMALS,
  TABLE_MAX_MAGNITUDE,
} from '../../protocol/wire/index.ts'
import { CHURN_FEATURES, churnCustomersCsv } from '../../test/fixtures/churn-customers.ts'
import { section, step } from './progress.ts'
import type { BeforeSection7 } from './stages.ts'

/** Whole-number weights: this many units a unit of score, so the proven score is ≈ SCALE × the attested one. */
const SCALE = 1_000_000

export async function runAiJobs(story: BeforeSection7) {
  const { alice, aliceClient, aliceLedger, home, projectKey, storage } = story
  section(
    '6b. AI jobs: a churn model trained on sealed customers, run attested (ONNX) and proven (Groth16); a small neural network, proven',
  )
  const limits = {
    maxColumns: TABLE_MAX_COLUMNS,
    maxDecimals: TABLE_MAX_DECIMALS,
    maxMagnitude: TABLE_MAX_MAGNITUDE,
  }
  const project = 'acme-churn'
  const submitter = 'alice@acme.example'
  const target = { client: aliceClient, ledger: aliceLedger, projectKey, project, storage }
  const run = async (dataset: UploadedDataset, params: JobParams): Promise<VerifiedJobResult> => {
    const jobId = await submitJob({ ...target, dataset, params, submitter })
    return awaitJobResult({ ...target, jobId, key: alice, timeoutMs: 300_000 })
  }
  const history = parseDecimalTable(churnCustomersCsv(400, 11), 'history.csv', limits)
  const historyDataset = await step(
    'alice uploads 400 past customers from a CSV of decimals (tenure, monthly spend, support calls, churned) as a sealed table: fixed-point, 2 decimals, each chunk committed by SHA-256',
    () => uploadTableDataset({ ...target, dataset: 'churn-history', ...history }),
    d => `root ${d.root.slice(0, 12)}…`,
  )
  const fit = await step(
    'a node trains logistic regression on them (Newton steps, every 5th record held out) and returns the model as ONNX, sealed to alice',
    async () => {
      const result = await run(historyDataset, {
        kind: 'train-logistic',
        features: [...CHURN_FEATURES],
        target: 'churned',
      })
      if (result.kind !== 'train-logistic') throw new Error(`a ${result.kind} result`)
      return result
    },
    r =>
      `held-out accuracy ${(r.heldOut.accuracy! * 100).toFixed(1)} % on ${r.heldOutRecords} customers; weights ${r.weights.map(w => w.toFixed(3)).join(', ')}, bias ${r.bias.toFixed(2)} (attested)`,
  )
  const newcomers = parseDecimalTable(churnCustomersCsv(32, 12), 'new.csv', limits, [
    ...CHURN_FEATURES,
  ])
  const newcomersTable = await step(
    'alice uploads 32 new customers as a sealed table',
    () => uploadTableDataset({ ...target, dataset: 'new-customers', ...newcomers }),
    d => `root ${d.root.slice(0, 12)}…`,
  )
  const modelPath = join(home, 'churn.onnx')
  await writeFile(modelPath, fit.onnx)
  const attested = await step(
    'she runs the trained model over them: an onnx job, the model stored sealed in the project (only its SHA-256 public), ONNX Runtime on the node',
    async () => {
      const model = await onnxModelDataset({
        ...target,
        path: modelPath,
        inputs: CHURN_FEATURES.length,
      })
      const result = await run(newcomersTable, { kind: 'onnx', inputs: [...CHURN_FEATURES], model })
      if (result.kind !== 'onnx') throw new Error(`a ${result.kind} result`)
      return result
    },
    r =>
      `${r.records} churn probabilities from ${r.node.slice(0, 6)}, the first ${Array.from(r.outputs[0]!.values.subarray(0, 4), v => v.toFixed(3)).join(', ')} …; ATTESTED, NOT PROVEN: the chain binds model ${r.model.slice(0, 12)}…, data and result, the node vouches for the numbers`,
  )
  // the same customers as the linear circuit's records: whole numbers (spend in cents), 4 features
  const records = Array.from({ length: 32 }, (_, r) => {
    const [tenure, cents, calls] = newcomers.values.slice(r * 3, r * 3 + 3)
    return [tenure! / 100n, cents!, calls! / 100n, 0n]
  })
  const provenDataset = await step(
    `alice uploads the same customers as records of whole numbers (tenure, spend in cents, calls, 0), committed with Poseidon in chunks of ${DEFAULT_VERIFIER_SIZES.linearRecords}`,
    () =>
      uploadNumericDataset({
        ...target,
        dataset: 'new-customers#records',
        values: records.flat(),
        chunkSize: DEFAULT_VERIFIER_SIZES.linearRecords,
        features: 4,
      }),
    d => `root ${d.root.slice(0, 12)}…`,
  )
  const units = [1, 100, 1, 1] // a record's units against the table's: spend is in cents
  const model = {
    weights: [...fit.weights, 0].map((w, i) => BigInt(Math.round((w * SCALE) / units[i]!))),
    bias: BigInt(Math.round(fit.bias * SCALE)),
  }
  const proven = await step(
    `she runs the same model, its weights made whole numbers (×${SCALE}), as a linear job: every score proven (Groth16), the chain checks each proof`,
    async () => {
      const result = await run(provenDataset, { kind: 'linear', model })
      if (result.kind !== 'linear') throw new Error(`a ${result.kind} result`)
      return result
    },
    r => `${r.outputs.length} scores proven in ${r.proofs.length} proofs`,
  )
  await step(
    'attested against proven: the same churn call for every customer; the probabilities differ only by the weights rounding',
    () => {
      const probabilities = attested.outputs[0]!.values
      let agree = 0
      let largest = 0
      proven.outputs.forEach((score, i) => {
        const p = 1 / (1 + Math.exp(-Number(score) / SCALE))
        largest = Math.max(largest, Math.abs(p - probabilities[i]!))
        if (p >= 0.5 === probabilities[i]! >= 0.5) agree++
      })
      if (agree !== proven.outputs.length || largest > 1e-3)
        throw new Error(`${agree} of ${proven.outputs.length} agree; largest difference ${largest}`)
      return { agree, largest, churners: Array.from(probabilities).filter(p => p >= 0.5).length }
    },
    r =>
      `${r.agree}/32 agree (${r.churners} likely to churn), largest probability difference ${r.largest.toExponential(1)}; the proven one holds without trusting the node, the attested one runs any ONNX model`,
  )
  const mlpDataset = await step(
    `for a proven network the records go in chunks of ${MLP_RECORDS} (the mlp circuit's size): alice uploads them so`,
    () =>
      uploadNumericDataset({
        ...target,
        dataset: 'new-customers#records4',
        values: records.flat(),
        chunkSize: MLP_RECORDS,
        features: 4,
      }),
    d => `root ${d.root.slice(0, 12)}…`,
  )
  // hand-set risk units: calls beyond 2, tenure under a year, spend over $80 (8 000 cents)
  const network: MlpModel = {
    hiddenWeights: [
      [0n, 0n, 1n, 0n],
      [-1n, 0n, 0n, 0n],
      [0n, 1n, 0n, 0n],
    ],
    hiddenBiases: [-2n, 12n, -8_000n],
    outputWeights: [300n, 50n, 1n],
    outputBias: -400n,
  }
  await step(
    'she runs a small neural network over them (4 → 3 ReLU units → 1: calls beyond 2, tenure under a year, spend over $80), sealed in the spec: an mlp job, every output proven (Groth16), the chain checks each proof',
    async () => {
      const result = await run(mlpDataset, { kind: 'mlp', model: network })
      if (result.kind !== 'mlp') throw new Error(`a ${result.kind} result`)
      const expected = computeMlp(records, network)
      if (result.outputs.some((y, i) => y !== expected[i]))
        throw new Error('the proven outputs differ from the network run locally')
      return result
    },
    r =>
      `${r.outputs.length} risk scores in ${r.proofs.length} proofs (the first ${r.outputs.slice(0, 4).join(', ')} …), equal to alice's own run of the network; ${r.outputs.filter(y => y > 0n).length} above 0`,
  )
  return {}
}
