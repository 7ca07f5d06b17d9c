/**
 * Running an ONNX model over records with ONNX Runtime (the CPU build from npm), the same
 * way wherever it runs: a node for an `onnx` job, a member re-checking one, the bench's
 * local baseline. One thread and fixed batches, so a re-run gives the same bits.
 * @module
 */
import * as ort from 'onnxruntime-node'
import { ModelInputWidthError, ModelInvalidError } from './errors.ts'
import { inspectOnnxModel } from './onnx-model.ts'

/** Records fed to the runtime at once: big enough to amortize a call, small enough for memory. */
export const ONNX_BATCH_RECORDS = 4096

export interface OnnxOutput {
  name: string
  /** records × the output's other dimensions */
  shape: number[]
  values: Float32Array
}

/**
 * Runs `model` over `records` records of `width` float32 features each (row by row).
 * ModelInvalidError if ONNX Runtime can't load it, an output is not a numeric tensor with
 * one row a record, or an output is not finite; ModelInputWidthError if it reads another
 * width.
 */
export async function runOnnxModel(
  model: Uint8Array,
  features: Float32Array,
  records: number,
  width: number,
): Promise<OnnxOutput[]> {
  const shape = inspectOnnxModel(model)
  if (shape.width !== undefined && shape.width !== width)
    throw new ModelInputWidthError(shape.width, width)
  let session: ort.InferenceSession
  try {
    session = await ort.InferenceSession.create(model, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    })
  } catch (err) {
    throw new ModelInvalidError(
      `ONNX Runtime can't load it (${(err as Error).message.split('\n')[0]})`,
    )
  }
  try {
    const input = session.inputMetadata[0]
    if (input?.isTensor && input.type !== 'float32')
      throw new ModelInvalidError(`its input is ${input.type}; Sealnet feeds float32 records`)
    const parts = new Map<string, { shape: number[]; chunks: Float32Array[] }>()
    for (let start = 0; start < records; start += ONNX_BATCH_RECORDS) {
      const count = Math.min(ONNX_BATCH_RECORDS, records - start)
      const batch = new ort.Tensor(
        'float32',
        features.subarray(start * width, (start + count) * width),
        [count, width],
      )
      let outputs: ort.InferenceSession.ReturnType
      try {
        outputs = await session.run({ [shape.input]: batch })
      } catch (err) {
        const message = (err as Error).message.split('\n')[0] ?? ''
        if (/dimension|shape|Got invalid dimensions/i.test(message))
          throw new ModelInputWidthError(`another number of (${message})`, width)
        throw new ModelInvalidError(`it fails to run (${message})`)
      }
      for (const name of session.outputNames) {
        const tensor = outputs[name]!
        if (
          !(tensor instanceof ort.Tensor) ||
          typeof tensor.data === 'string' ||
          tensor.type === 'string'
        )
          throw new ModelInvalidError(
            `output ${name} is not a numeric tensor (export classifiers without ZipMap)`,
          )
        if (tensor.dims[0] !== count)
          throw new ModelInvalidError(`output ${name} does not hold one row a record`)
        const values = Float32Array.from(tensor.data as ArrayLike<number | bigint>, Number)
        const bad = values.findIndex(v => !Number.isFinite(v))
        if (bad >= 0)
          throw new ModelInvalidError(
            `output ${name} is not finite for record ${start + Math.floor(bad / (values.length / count))}`,
          )
        const part = parts.get(name) ?? { shape: tensor.dims.slice(1).map(Number), chunks: [] }
        part.chunks.push(values)
        parts.set(name, part)
      }
    }
    return session.outputNames.map(name => {
      const part = parts.get(name)!
      const values = new Float32Array(part.chunks.reduce((n, c) => n + c.length, 0))
      let at = 0
      for (const chunk of part.chunks) {
        values.set(chunk, at)
        at += chunk.length
      }
      return { name, shape: [records, ...part.shape], values }
    })
  } finally {
    await session.release()
  }
}
