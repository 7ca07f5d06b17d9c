/**
 * How `job result` shows an attested result (ONNX inference, training): plainly marked as
 * vouched for by its node, not proven, with its outputs or model written to a file.
 * @module
 */
import type { VerifiedOnnxResult, VerifiedTrainResult } from '../../sdk/index.ts'
import { writeFileAtomic } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'

const ATTESTED = 'ATTESTED, NOT PROVEN: the node vouches for these numbers; checked:'
const ONNX_CHECKED = `${ATTESTED} the hash on chain, the dataset root and the model the job committed to`
const TRAIN_CHECKED = `${ATTESTED} the hash on chain, the dataset root, and that the ONNX file is the one its weights make`

/** Rows of one record each: every output's values for that record, comma-separated. */
export function onnxOutputsCsv(result: VerifiedOnnxResult): string {
  const header: string[] = []
  const widths = result.outputs.map(o => o.values.length / result.records)
  result.outputs.forEach((o, i) => {
    for (let c = 0; c < widths[i]!; c++) header.push(widths[i] === 1 ? o.name : `${o.name}[${c}]`)
  })
  const rows = [header.join(',')]
  for (let r = 0; r < result.records; r++)
    rows.push(
      result.outputs
        .flatMap((o, i) => Array.from(o.values.subarray(r * widths[i]!, (r + 1) * widths[i]!)))
        .join(','),
    )
  return `${rows.join('\n')}\n`
}

export async function printOnnxResult(
  global: GlobalOptions,
  result: VerifiedOnnxResult,
  outputsFile: string | undefined,
): Promise<void> {
  if (outputsFile) await writeFileAtomic(outputsFile, onnxOutputsCsv(result))
  const shown = Math.min(result.records, 10)
  const first = result.outputs[0]!
  const width = first.values.length / result.records
  print(
    global,
    {
      jobId: result.jobId,
      node: result.node,
      kind: 'onnx',
      attested: true,
      proven: false,
      model: result.model,
      datasetRoot: result.datasetRoot,
      inputs: result.inputs,
      records: result.records,
      outputs: result.outputs.map(o => ({
        name: o.name,
        shape: o.shape,
        values: Array.from(o.values),
      })),
      outputsFile,
      phases: result.phases,
    },
    [
      `job ${result.jobId}, run by ${result.node}: model ${result.model.slice(0, 16)}… over ${result.records} records (${result.inputs.join(', ')})`,
      ...Array.from({ length: shown }, (_, r) => {
        const values = Array.from(first.values.subarray(r * width, (r + 1) * width))
        return `  record ${r}: ${first.name} = ${values.map(v => v.toPrecision(6)).join(', ')}`
      }),
      ...(result.records > shown ? [`  … ${result.records - shown} more`] : []),
      ...(outputsFile ? [`all outputs written to ${outputsFile}`] : []),
      ONNX_CHECKED,
    ],
  )
}

export async function printTrainResult(
  global: GlobalOptions,
  result: VerifiedTrainResult,
  modelFile: string | undefined,
): Promise<void> {
  if (modelFile) await writeFileAtomic(modelFile, result.onnx)
  const quality = Object.entries(result.heldOut)
    .map(([name, value]) => `${name} ${value.toFixed(4)}`)
    .join(', ')
  print(
    global,
    {
      jobId: result.jobId,
      node: result.node,
      kind: result.kind,
      attested: true,
      proven: false,
      datasetRoot: result.datasetRoot,
      features: result.features,
      target: result.target,
      weights: result.weights,
      bias: result.bias,
      trainRecords: result.trainRecords,
      heldOutRecords: result.heldOutRecords,
      heldOut: result.heldOut,
      modelFile,
      phases: result.phases,
    },
    [
      `job ${result.jobId}, run by ${result.node}: ${result.kind === 'train-logistic' ? 'logistic regression' : 'least squares'} of ${result.target} on ${result.features.join(', ')}`,
      `  trained on ${result.trainRecords} records; on ${result.heldOutRecords} held out: ${quality}`,
      `  weights ${result.weights.map(w => w.toPrecision(5)).join(', ')}; bias ${result.bias.toPrecision(5)}`,
      modelFile
        ? `the model (ONNX) written to ${modelFile}: run it with "job submit --kind onnx --model ${modelFile}"`
        : 'write the model (ONNX) to a file with --model-out FILE',
      TRAIN_CHECKED,
    ],
  )
}
