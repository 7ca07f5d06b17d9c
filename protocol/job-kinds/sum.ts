/**
 * `sum`: the Paillier sum of every value of a dataset and of `more` (all under one public
 * key); the node multiplies ciphertexts it can't read, and nothing proves it (re-executed).
 */
import { id } from 'ethers'
import * as z from 'zod'
import { HEX, HEX32, jobSpecBase } from '../wire/job-messages.ts'
import type { JobKind } from './job-kind.ts'

export const SumJobResultSchema = z.strictObject({
  jobId: HEX32,
  project: z.string().min(1).max(256),
  /** The Paillier modulus (hex) the total is encrypted under. */
  n: HEX,
  /** The encrypted total, fixed-width hex; only the private key's holder opens it. */
  total: HEX,
  /** How many ciphertexts were added. */
  count: z.number().int().positive(),
  /** The datasets added, in the spec's order (a member re-reads them to re-check the total). */
  datasets: z.array(z.string().min(1).max(256)).min(1).max(32),
})
export type SumJobResult = z.infer<typeof SumJobResultSchema>

export const sumKind = {
  name: 'sum',
  id: id('sum'),
  summary:
    'the encrypted total of Paillier datasets (--more), opened by the key holder (re-checked by re-adding)',
  check: {
    by: 're-execution',
    how: 'Paillier ciphertexts added; a member re-checks the total by re-adding them',
  },
  input: 'paillier',
  specSchema: z.strictObject({
    ...jobSpecBase,
    kind: z.literal('sum'),
    more: z
      .array(z.strictObject({ dataset: jobSpecBase.dataset, manifest: jobSpecBase.manifest }))
      .max(31),
  }),
  resultSchema: SumJobResultSchema,
} as const satisfies JobKind<'sum'>
