/**
 * ONNX inference jobs on real nodes: a 16 → 16 → 1 MLP over a sealed table of 16 columns,
 * upload, then submit → verified result (the node's phases split out), against the same
 * model run locally with ONNX Runtime over the same CSV (parsed, the session made, run):
 * what a data owner would do on their own machine.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDecimalTable } from '../../client/cli/commands/numeric-column.ts'
import {
  awaitJobResult,
  onnxModelDataset,
  submitJob,
  uploadTableDataset,
} from '../../client/sdk/index.ts'
import { DEFAULT_VERIFIER_SIZES } from '../../protocol/ledger/index.ts'
import { denseOnnxModel, runOnnxModel } from '../../protocol/models/index.ts'
import {
  TABLE_MAX_COLUMNS,
  TABLE_MAX_DECIMALS,
  TABLE_MAX_MAGNITUDE,
} from '../../protocol/wire/index.ts'
import { startJobNetwork } from '../../test/job-network.ts'
import { type BenchOptions, type BenchResult, ratioResult, timeMsAsync } from './measure.ts'

const COLUMNS = Array.from({ length: 16 }, (_, i) => `x${i}`)
const LIMITS = {
  maxColumns: TABLE_MAX_COLUMNS,
  maxDecimals: TABLE_MAX_DECIMALS,
  maxMagnitude: TABLE_MAX_MAGNITUDE,
}

function tableCsv(records: number): string {
  const lines = [COLUMNS.join(',')]
  for (let r = 0; r < records; r++)
    lines.push(COLUMNS.map((_, c) => (((r * 31 + c * 17) % 2001) / 100 - 10).toFixed(2)).join(','))
  return `${lines.join('\n')}\n`
}

const mlp = denseOnnxModel([
  {
    weights: COLUMNS.map((_, i) => Array.from({ length: 16 }, (_, o) => Math.sin(i * 16 + o) / 8)),
    bias: Array.from({ length: 16 }, (_, o) => Math.cos(o) / 4),
    activation: 'relu',
  },
  {
    weights: Array.from({ length: 16 }, (_, i) => [Math.sin(i) / 4]),
    bias: [0],
    activation: 'sigmoid',
  },
])

/** The same CSV parsed and the same model run in this process, with ONNX Runtime. */
async function local(csv: string): Promise<number> {
  return timeMsAsync(async () => {
    const table = parseDecimalTable(csv, 'bench.csv', LIMITS)
    const scale = 10 ** table.decimals
    const features = Float32Array.from(table.values, v => Number(v) / scale)
    await runOnnxModel(mlp, features, features.length / COLUMNS.length, COLUMNS.length)
  })
}

export async function benchOnnxJobs(options: BenchOptions): Promise<BenchResult[]> {
  const records = options.quick ? 2_000 : 10_000
  const runs = options.quick ? 1 : 3
  const net = await startJobNetwork(3, DEFAULT_VERIFIER_SIZES)
  const dir = await mkdtemp(join(tmpdir(), 'sealnet-bench-onnx-'))
  try {
    const { client, owner, ownerKey, projectKey, project, storage } = net
    const target = { client, ledger: owner, projectKey, project, storage }
    const modelPath = join(dir, 'mlp.onnx')
    await writeFile(modelPath, mlp)
    const model = await onnxModelDataset({ ...target, path: modelPath, inputs: COLUMNS.length })
    const csv = tableCsv(records)
    const samples = { ours: [] as number[], baseline: [] as number[] }
    let upload = 0
    let phases: Record<string, number> = {}
    for (let r = 0; r < runs; r++) {
      const table = parseDecimalTable(csv, 'bench.csv', LIMITS)
      let dataset: Awaited<ReturnType<typeof uploadTableDataset>> | undefined
      upload = await timeMsAsync(async () => {
        dataset = await uploadTableDataset({ ...target, dataset: `table-${r}`, ...table })
      })
      samples.ours.push(
        await timeMsAsync(async () => {
          const jobId = await submitJob({
            ...target,
            dataset: dataset!,
            params: { kind: 'onnx', inputs: COLUMNS, model },
            submitter: 'bench-alice',
          })
          const result = await awaitJobResult({ ...target, jobId, key: ownerKey })
          if (result.kind !== 'onnx' || result.records !== records)
            throw new Error(`unexpected result ${result.kind}`)
          phases = result.phases
        }),
      )
      samples.baseline.push(await local(csv))
    }
    return [
      {
        ...ratioResult(
          {
            id: `jobs.onnx_${records}.vs_local_onnxruntime`,
            baseline: `the same ${records}-record CSV parsed and the same 16→16→1 MLP run by ONNX Runtime in one process (no network, no chain)`,
            target: '<= 1.5',
            sampleUnit: 'ms',
          },
          samples,
          (o, b) => o / b,
        ),
        detail: {
          upload_ms: Math.round(upload),
          ...Object.fromEntries(
            Object.entries(phases).map(([k, v]) => [`node_${k}_ms`, Math.round(v)]),
          ),
        },
      },
    ]
  } finally {
    await net.close()
    await rm(dir, { recursive: true, force: true })
  }
}
