export * from './errors.ts'
export * from './onnx-model.ts'
export * from './run-onnx.ts'
