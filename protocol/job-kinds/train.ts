/**
 * `train-linear` and `train-logistic`: a node fits a linear model (least squares, or
 * logistic regression for 0/1 labels) on a table dataset's records, holding every fifth
 * record out to measure the fit, and returns it sealed to the submitter as an ONNX model
 * they can run as an `onnx` job. Attested: the fit is deterministic, so a member re-fits
 * to check it.
 */
import { id } from 'ethers'
import * as z from 'zod'
import { jobSpecBase } from '../wire/job-messages.ts'
import { attestedResultBase, BASE64, ColumnSchema } from './attested.ts'
import type { JobKind } from './job-kind.ts'

const trainSpec = <Kind extends string>(kind: Kind) =>
  z.strictObject({
    ...jobSpecBase,
    kind: z.literal(kind),
    /** The columns the model reads, in order. */
    features: z.array(ColumnSchema).min(1).max(1024),
    /** The column it predicts (0 or 1 for logistic regression). */
    target: ColumnSchema,
  })

const trainResult = <Quality extends z.ZodRawShape>(quality: Quality) =>
  z.strictObject({
    ...attestedResultBase,
    features: z.array(ColumnSchema).min(1),
    target: ColumnSchema,
    weights: z.array(z.number()),
    bias: z.number(),
    /** The fitted model as ONNX (base64): input `features` (records × features), output `output`. */
    onnx: BASE64,
    trainRecords: z.number().int().positive(),
    heldOutRecords: z.number().int().positive(),
    /** The fit measured on the held-out records. */
    heldOut: z.strictObject(quality),
  })

export const TrainLinearJobResultSchema = trainResult({ rmse: z.number(), r2: z.number() })
export type TrainLinearJobResult = z.infer<typeof TrainLinearJobResultSchema>
export const TrainLogisticJobResultSchema = trainResult({
  accuracy: z.number(),
  logLoss: z.number(),
})
export type TrainLogisticJobResult = z.infer<typeof TrainLogisticJobResultSchema>

const refit = 'the fit is deterministic; a member re-fits the same records to check it'

export const trainLinearKind = {
  name: 'train-linear',
  id: id('train-linear'),
  summary: 'fit least squares of --target on --features, returned as an ONNX model (attested)',
  check: { by: 'attestation', how: refit },
  input: 'table',
  specSchema: trainSpec('train-linear'),
  resultSchema: TrainLinearJobResultSchema,
} as const satisfies JobKind<'train-linear'>

export const trainLogisticKind = {
  name: 'train-logistic',
  id: id('train-logistic'),
  summary:
    'fit logistic regression of a 0/1 --target on --features, returned as an ONNX model (attested)',
  check: { by: 'attestation', how: refit },
  input: 'table',
  specSchema: trainSpec('train-logistic'),
  resultSchema: TrainLogisticJobResultSchema,
} as const satisfies JobKind<'train-logistic'>
