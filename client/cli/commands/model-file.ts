/**
 * Models of the proven kinds from JSON files, integers given as JSON numbers or decimal
 * strings:
 * - linear: `{ "weights": [3, -1, 0, 2], "bias": -50 }`, one weight per feature, each
 *   value below 2^VALUE_BITS in size;
 * - mlp: `{ "hidden": { "weights": [[…4], …], "biases": […] }, "output": { "weights": […],
 *   "bias": n } }`, a row of weights and a bias per hidden unit (1 to MLP_HIDDEN), an
 *   output weight per hidden unit, in the bounds the mlp circuit checks.
 * @module
 */
import { readFile } from 'node:fs/promises'
import * as z from 'zod'
import {
  assertMlpModel,
  InvalidWitnessError,
  LINEAR_FEATURES,
  type LinearModel,
  MLP_HIDDEN,
  type MlpModel,
  VALUE_BITS,
} from '../../../protocol/proof/index.ts'
import { UsageError } from '../io.ts'

const LIMIT = 1n << BigInt(VALUE_BITS)
const INTEGER = z
  .union([z.number().int().safe(), z.string().regex(/^-?\d{1,40}$/)])
  .transform(v => BigInt(v))
const LINEAR_INTEGER = INTEGER.refine(
  v => v > -LIMIT && v < LIMIT,
  `must be above -2^${VALUE_BITS} and below 2^${VALUE_BITS}`,
)

const LinearFileSchema = z.strictObject({
  weights: z.array(LINEAR_INTEGER).length(LINEAR_FEATURES),
  bias: LINEAR_INTEGER,
})
const LINEAR_SHAPE = `{"weights": [${LINEAR_FEATURES} integers], "bias": integer}`

const MlpFileSchema = z.strictObject({
  hidden: z.strictObject({
    weights: z.array(z.array(INTEGER).length(LINEAR_FEATURES)).min(1).max(MLP_HIDDEN),
    biases: z.array(INTEGER).min(1).max(MLP_HIDDEN),
  }),
  output: z.strictObject({ weights: z.array(INTEGER).min(1).max(MLP_HIDDEN), bias: INTEGER }),
})
const MLP_SHAPE = `{"hidden": {"weights": [1 to ${MLP_HIDDEN} rows of ${LINEAR_FEATURES} integers], "biases": [one per row]}, "output": {"weights": [one per row], "bias": integer}}`

async function readModelFile<T>(path: string, schema: z.ZodType<T>, shape: string): Promise<T> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new UsageError(`--model ${path}: ${(err as Error).message}`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UsageError(
      `--model ${path}: ${issue.path.join('.') || 'the file'} ${issue.message} (expected ${shape})`,
    )
  }
  return parsed.data
}

/** The linear model in `path`; UsageError naming the file and the field that is wrong. */
export function readLinearModel(path: string): Promise<LinearModel> {
  return readModelFile(path, LinearFileSchema, LINEAR_SHAPE)
}

/** The mlp model in `path`; UsageError naming the file and what is wrong with it. */
export async function readMlpModel(path: string): Promise<MlpModel> {
  const file = await readModelFile(path, MlpFileSchema, MLP_SHAPE)
  const model = {
    hiddenWeights: file.hidden.weights,
    hiddenBiases: file.hidden.biases,
    outputWeights: file.output.weights,
    outputBias: file.output.bias,
  }
  try {
    assertMlpModel(model)
  } catch (err) {
    if (err instanceof InvalidWitnessError)
      throw new UsageError(`--model ${path}: ${err.message} (the mlp circuit's bounds)`)
    throw err
  }
  return model
}

/** Whether a JSON model file holds an mlp (a "hidden" layer) rather than a linear model. */
export function isMlpModelFile(bytes: Uint8Array): boolean {
  try {
    const json = JSON.parse(Buffer.from(bytes).toString('utf8'))
    return typeof json === 'object' && json !== null && 'hidden' in json
  } catch {
    return false // readLinearModel names what is wrong with it
  }
}
