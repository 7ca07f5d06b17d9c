/**
 * A linear model from a JSON file: `{ "weights": [3, -1, 0, 2], "bias": -50 }`, integers
 * (JSON numbers or decimal strings) below 2^VALUE_BITS in size, one weight per feature.
 * @module
 */
import { readFile } from 'node:fs/promises'
import * as z from 'zod'
import { LINEAR_FEATURES, type LinearModel, VALUE_BITS } from '../../../protocol/proof/index.ts'
import { UsageError } from '../io.ts'

const LIMIT = 1n << BigInt(VALUE_BITS)
const INTEGER = z
  .union([z.number().int().safe(), z.string().regex(/^-?\d{1,20}$/)])
  .transform(v => BigInt(v))
  .refine(v => v > -LIMIT && v < LIMIT, `must be above -2^${VALUE_BITS} and below 2^${VALUE_BITS}`)

const ModelFileSchema = z.strictObject({
  weights: z.array(INTEGER).length(LINEAR_FEATURES),
  bias: INTEGER,
})

/** The model in `path`; UsageError naming the file and the field that is wrong. */
export async function readLinearModel(path: string): Promise<LinearModel> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new UsageError(`--model ${path}: ${(err as Error).message}`)
  }
  const parsed = ModelFileSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UsageError(
      `--model ${path}: ${issue.path.join('.') || 'the file'} ${issue.message} (expected {"weights": [${LINEAR_FEATURES} integers], "bias": integer})`,
    )
  }
  return parsed.data
}
