import onnxProto from 'onnx-proto'
import { describe, expect, it } from 'vitest'
import { DENSE_OUTPUT, denseOnnxModel } from './onnx-model.ts'
import { ONNX_BATCH_RECORDS, runOnnxModel } from './run-onnx.ts'

const { onnx } = onnxProto

const refused = (code: string, message: RegExp) =>
  expect.objectContaining({ code, message: expect.stringMatching(message) })

const sum2 = denseOnnxModel([{ weights: [[1], [1]], bias: [0], activation: 'none' }])

describe('runOnnxModel', () => {
  it('runs every record, across batches, in order', async () => {
    const records = ONNX_BATCH_RECORDS + 3
    const features = Float32Array.from({ length: records * 2 }, (_, i) => i)
    const [output] = await runOnnxModel(sum2, features, records, 2)
    expect(output!.shape).toEqual([records, 1])
    expect(output!.values[0]).toBe(1)
    expect(output!.values[records - 1]).toBe(4 * records - 3)
  })

  it('refuses another width, declared or found only when it runs', async () => {
    await expect(runOnnxModel(sum2, new Float32Array(3), 1, 3)).rejects.toThrow(
      refused('model-input-width', /reads 2 features a record; the job gives it 3 columns/),
    )
    const dynamic = onnx.ModelProto.decode(sum2)
    dynamic.graph!.input![0]!.type!.tensorType!.shape!.dim![1] = { dimParam: 'width' }
    await expect(
      runOnnxModel(onnx.ModelProto.encode(dynamic).finish(), new Float32Array(3), 1, 3),
    ).rejects.toThrow(refused('model-input-width', /another number of/))
  })

  it('refuses outputs that are not finite, naming the record', async () => {
    const logged = onnx.ModelProto.decode(sum2)
    const graph = logged.graph!
    graph.node!.push(
      onnx.NodeProto.create({ opType: 'Log', input: [DENSE_OUTPUT], output: ['log'] }),
    )
    graph.output![0]!.name = 'log'
    const model = onnx.ModelProto.encode(logged).finish()
    await expect(runOnnxModel(model, Float32Array.from([1, 1, -1, -1]), 2, 2)).rejects.toThrow(
      refused('model-invalid', /output log is not finite for record 1/),
    )
  })
})
