/** `linear`: y = W·x + b for every record, with the model sealed in the spec, proven per chunk. */
import { id } from 'ethers'
import * as z from 'zod'
import type { LinearModel } from '../proof/linear-proof.ts'
import { DECIMAL, HEX32, jobSpecBase, SIGNED_DECIMAL } from '../wire/job-messages.ts'
import type { JobKind } from './job-kind.ts'

export const LinearJobResultSchema = z.strictObject({
  jobId: HEX32,
  modelCommitment: DECIMAL,
  /** One output per record, in dataset order. */
  outputs: z.array(SIGNED_DECIMAL),
  /** Per chunk, in order: the salt of its result commitment (over its records' outputs). */
  salts: z.array(DECIMAL),
  proofs: z.array(z.unknown()),
})
export type LinearJobResult = z.infer<typeof LinearJobResultSchema>

export const linearKind = {
  name: 'linear',
  id: id('linear'),
  summary: 'y = W·x + b for every record, the --model sealed in the spec (proven)',
  check: { by: 'proof', circuit: 'linear' },
  input: 'numeric-records',
  /** the model is sealed in the spec, committed with its salt */
  specSchema: z.strictObject({
    ...jobSpecBase,
    kind: z.literal('linear'),
    model: z.strictObject({
      weights: z.array(SIGNED_DECIMAL).min(1).max(64),
      bias: SIGNED_DECIMAL,
    }),
    modelSalt: DECIMAL,
  }),
  resultSchema: LinearJobResultSchema,
} as const satisfies JobKind<'linear'>

/** The model a spec carries, as the prover takes it. */
export function linearModelOfSpec(
  model: z.infer<typeof linearKind.specSchema>['model'],
): LinearModel {
  return { weights: model.weights.map(BigInt), bias: BigInt(model.bias) }
}
