/**
 * ONNX models as Sealnet handles them: written for the models a node trains (dense layers,
 * the shape PyTorch's nn.Linear and scikit-learn's linear models export to), and inspected
 * before any runtime sees one. Inspection refuses what a node must never load: bytes that
 * are not a model, a model larger than MAX_ONNX_MODEL_BYTES, and tensors stored as
 * external data, whose paths would have ONNX Runtime read files from the node's own disk
 * into the model (and so into a result).
 * @module
 */
import { createHash } from 'node:crypto'
import onnxProto from 'onnx-proto'
import { ModelInvalidError, ModelTooLargeError } from './errors.ts'

const { onnx } = onnxProto

/** The largest model a node loads: it holds it in memory with the records it runs on. */
export const MAX_ONNX_MODEL_BYTES = 64 * 2 ** 20

/** One dense layer: outputs = activation(inputs · weights + bias). */
export interface DenseLayer {
  /** inputs × outputs, row by row: weights[i][o] */
  weights: readonly (readonly number[])[]
  bias: readonly number[]
  activation: 'none' | 'relu' | 'sigmoid'
}

/** The name of the input of every model denseOnnxModel writes: records × features. */
export const DENSE_INPUT = 'features'
/** The name of its output: records × the last layer's outputs. */
export const DENSE_OUTPUT = 'output'

/**
 * An ONNX model (opset 17) of dense layers over float32 records: Gemm then the
 * activation, layer after layer, with a dynamic record count.
 * @example denseOnnxModel([{ weights: [[0.5], [-1]], bias: [0.1], activation: 'sigmoid' }])
 */
export function denseOnnxModel(layers: readonly DenseLayer[], name = 'sealnet-dense'): Uint8Array {
  if (layers.length === 0) throw new RangeError('a dense model has at least one layer')
  const tensor = (tensorName: string, dims: number[], values: number[]) =>
    onnx.TensorProto.create({
      name: tensorName,
      dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      floatData: values,
    })
  const value = (valueName: string, width: number) =>
    onnx.ValueInfoProto.create({
      name: valueName,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: [{ dimParam: 'records' }, { dimValue: width }] },
        },
      },
    })
  const initializer: InstanceType<typeof onnx.TensorProto>[] = []
  const node: InstanceType<typeof onnx.NodeProto>[] = []
  let input = DENSE_INPUT
  let width = layers[0]!.weights.length
  layers.forEach((layer, l) => {
    const outputs = layer.bias.length
    if (layer.weights.length !== width || layer.weights.some(row => row.length !== outputs))
      throw new RangeError(`layer ${l}: weights must be ${width} × ${outputs}`)
    initializer.push(tensor(`W${l}`, [width, outputs], layer.weights.flat()))
    initializer.push(tensor(`B${l}`, [outputs], [...layer.bias]))
    const last = l === layers.length - 1
    const linear = last && layer.activation === 'none' ? DENSE_OUTPUT : `z${l}`
    node.push(
      onnx.NodeProto.create({ opType: 'Gemm', input: [input, `W${l}`, `B${l}`], output: [linear] }),
    )
    input = linear
    if (layer.activation !== 'none') {
      const activated = last ? DENSE_OUTPUT : `a${l}`
      const opType = layer.activation === 'relu' ? 'Relu' : 'Sigmoid'
      node.push(onnx.NodeProto.create({ opType, input: [linear], output: [activated] }))
      input = activated
    }
    width = outputs
  })
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'sealnet',
    graph: onnx.GraphProto.create({
      name,
      initializer,
      node,
      input: [value(DENSE_INPUT, layers[0]!.weights.length)],
      output: [value(DENSE_OUTPUT, width)],
    }),
  })
  return onnx.ModelProto.encode(model).finish()
}

/** What a node needs to know of a model before it runs one. */
export interface OnnxModelShape {
  sha256: string
  /** The graph's first input (the records). */
  input: string
  /** Its features a record, or undefined if the model leaves it dynamic. */
  width: number | undefined
  outputs: string[]
}

type Graph = InstanceType<typeof onnx.GraphProto>
type Tensor = InstanceType<typeof onnx.TensorProto> | onnxProto.onnx.ITensorProto

function assertNoExternalData(graph: onnxProto.onnx.IGraphProto | null | undefined): void {
  if (!graph) return
  const check = (tensor: Tensor | null | undefined) => {
    if (!tensor) return
    if (
      tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL ||
      (tensor.externalData?.length ?? 0) > 0
    )
      throw new ModelInvalidError(
        `tensor "${tensor.name ?? ''}" is stored as external data (a file path); export the model with its weights inside`,
      )
  }
  for (const tensor of graph.initializer ?? []) check(tensor)
  for (const sparse of graph.sparseInitializer ?? []) {
    check(sparse.values)
    check(sparse.indices)
  }
  for (const node of graph.node ?? [])
    for (const attribute of node.attribute ?? []) {
      check(attribute.t)
      for (const tensor of attribute.tensors ?? []) check(tensor)
      check(attribute.sparseTensor?.values)
      for (const sparse of attribute.sparseTensors ?? []) check(sparse.values)
      assertNoExternalData(attribute.g)
      for (const sub of attribute.graphs ?? []) assertNoExternalData(sub)
    }
}

/**
 * The shape of the model in `bytes`, after refusing it unless a node may load it.
 * ModelTooLargeError beyond `maxBytes`; ModelInvalidError if it is not an ONNX model, has
 * no graph input or output, or keeps a tensor as external data.
 */
export function inspectOnnxModel(
  bytes: Uint8Array,
  maxBytes = MAX_ONNX_MODEL_BYTES,
): OnnxModelShape {
  if (bytes.length > maxBytes) throw new ModelTooLargeError(bytes.length, maxBytes)
  let model: InstanceType<typeof onnx.ModelProto>
  try {
    model = onnx.ModelProto.decode(bytes)
  } catch (err) {
    throw new ModelInvalidError(`its bytes are not an ONNX model (${(err as Error).message})`)
  }
  const graph = model.graph as Graph | null
  if (!graph || (model.opsetImport?.length ?? 0) === 0)
    throw new ModelInvalidError('its bytes are not an ONNX model (no graph or opset)')
  assertNoExternalData(graph)
  for (const fn of model.functions ?? []) assertNoExternalData({ node: fn.node ?? [] })
  const initializers = new Set((graph.initializer ?? []).map(t => t.name))
  const inputs = (graph.input ?? []).filter(i => !initializers.has(i.name))
  const input = inputs[0]
  if (!input?.name || (graph.output ?? []).length === 0)
    throw new ModelInvalidError('it has no input or no output')
  if (inputs.length > 1)
    throw new ModelInvalidError(
      `it has ${inputs.length} inputs; Sealnet feeds one (records × features)`,
    )
  const dims = input.type?.tensorType?.shape?.dim ?? []
  const last = dims.length === 2 ? dims[1] : undefined
  const width = last?.dimValue ? Number(last.dimValue) : undefined
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    input: input.name,
    width,
    outputs: (graph.output ?? []).map(o => o.name ?? ''),
  }
}
