import onnxProto from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { DENSE_INPUT, DENSE_OUTPUT, denseOnnxModel, inspectOnnxModel } from './onnx-model.ts'

const { onnx } = onnxProto

const refused = (code: string, message: RegExp) =>
  expect.objectContaining({ code, message: expect.stringMatching(message) })

describe('denseOnnxModel', () => {
  it('writes a model ONNX Runtime runs as the layers say (16 → 3 relu → 1 sigmoid)', async () => {
    const hidden = {
      weights: Array.from({ length: 16 }, (_, i) => [i / 16, -i / 32, 1]),
      bias: [0.5, 0.25, -8],
      activation: 'relu' as const,
    }
    const head = { weights: [[1], [-2], [0.5]], bias: [-1], activation: 'sigmoid' as const }
    const bytes = denseOnnxModel([hidden, head])
    const record = Array.from({ length: 16 }, (_, i) => i - 4)
    const h = [0, 1, 2].map(o =>
      Math.max(
        0,
        record.reduce((s, x, i) => s + x * hidden.weights[i]![o]!, hidden.bias[o]!),
      ),
    )
    const expected = 1 / (1 + Math.exp(-(h[0]! - 2 * h[1]! + 0.5 * h[2]! - 1)))
    const session = await ort.InferenceSession.create(bytes)
    const out = await session.run({
      [DENSE_INPUT]: new ort.Tensor('float32', Float32Array.from(record), [1, 16]),
    })
    expect(out[DENSE_OUTPUT]!.dims).toEqual([1, 1])
    expect(out[DENSE_OUTPUT]!.data[0]).toBeCloseTo(expected, 5)
    expect(inspectOnnxModel(bytes)).toMatchObject({
      input: DENSE_INPUT,
      width: 16,
      outputs: [DENSE_OUTPUT],
    })
  })

  it('refuses layers whose widths do not chain', () => {
    expect(() =>
      denseOnnxModel([
        { weights: [[1, 2]], bias: [0, 0], activation: 'relu' },
        { weights: [[1]], bias: [0], activation: 'none' },
      ]),
    ).toThrow(/layer 1: weights must be 2 × 1/)
  })
})

describe('inspectOnnxModel', () => {
  const model = denseOnnxModel([{ weights: [[1], [2]], bias: [0], activation: 'none' }])

  it('refuses bytes that are not a model, and a model over the size limit', () => {
    expect(() => inspectOnnxModel(Buffer.from('not a model at all'))).toThrow(
      refused('model-invalid', /not an ONNX model/),
    )
    expect(() => inspectOnnxModel(model, model.length - 1)).toThrow(
      refused('model-too-large', new RegExp(`${model.length} bytes`)),
    )
  })

  it('refuses a tensor kept as external data: it would read a file on the node', () => {
    const decoded = onnx.ModelProto.decode(model)
    const weights = decoded.graph!.initializer![0]!
    weights.floatData = []
    weights.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL
    weights.externalData = [
      onnx.StringStringEntryProto.create({ key: 'location', value: '/etc/passwd' }),
    ]
    expect(() => inspectOnnxModel(onnx.ModelProto.encode(decoded).finish())).toThrow(
      refused('model-invalid', /"W0" is stored as external data/),
    )
  })
})
