/**
 * `onnx`: a submitter's ONNX model run by ONNX Runtime over the records of a table
 * dataset. The model is a file dataset of the same project (sealed like any data; only
 * its SHA-256 is public, on chain), named with its hash in the sealed spec. Attested, not
 * proven: the node vouches for the outputs, the chain binds model, data and result.
 */
import { id } from 'ethers'
import * as z from 'zod'
import { NameSchema } from '../names.ts'
import { jobSpecBase } from '../wire/job-messages.ts'
import { attestedResultBase, BASE64, ColumnSchema, SHA256 } from './attested.ts'
import type { JobKind } from './job-kind.ts'

export const OnnxJobResultSchema = z.strictObject({
  ...attestedResultBase,
  /** SHA-256 of the model run. */
  model: SHA256,
  inputs: z.array(ColumnSchema).min(1),
  records: z.number().int().positive(),
  /** Each of the model's outputs over every record: its shape and float32 values (base64, little-endian). */
  outputs: z
    .array(
      z.strictObject({
        name: z.string().max(256),
        shape: z.array(z.number().int()),
        float32: BASE64,
      }),
    )
    .min(1)
    .max(16),
})
export type OnnxJobResult = z.infer<typeof OnnxJobResultSchema>

export const onnxKind = {
  name: 'onnx',
  id: id('onnx'),
  summary: "an ONNX model (--model FILE) run over a table dataset's records (attested, not proven)",
  check: {
    by: 'attestation',
    how: 'the node ran the model; a member re-runs the same model on the same records to check it',
  },
  input: 'table',
  specSchema: z.strictObject({
    ...jobSpecBase,
    kind: z.literal('onnx'),
    /** The table's columns the model reads, in the model's input order. */
    inputs: z.array(ColumnSchema).min(1).max(1024),
    model: z.strictObject({
      dataset: NameSchema,
      manifest: jobSpecBase.manifest,
      sha256: SHA256,
    }),
  }),
  resultSchema: OnnxJobResultSchema,
} as const satisfies JobKind<'onnx'>

/** An output's float32 values from the result's base64. */
export function onnxOutputValues(output: OnnxJobResult['outputs'][number]): Float32Array {
  const bytes = Buffer.from(output.float32, 'base64')
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
}
