/** `stats`: count, sum and sum of squares of a column's values ≥ a threshold, proven per chunk. */
import { id } from 'ethers'
import * as z from 'zod'
import { DECIMAL, HEX32, jobSpecBase } from '../wire/job-messages.ts'
import type { JobKind } from './job-kind.ts'

/**
 * The plaintext of a delivered result: the totals, and each chunk's opening of the result
 * commitment its proof states (the chain holds only those commitments).
 */
export const StatsJobResultSchema = z.strictObject({
  jobId: HEX32,
  count: DECIMAL,
  sum: DECIMAL,
  sumOfSquares: DECIMAL,
  threshold: DECIMAL,
  /** Per chunk, in order: its numbers and the salt of its result commitment. */
  chunks: z.array(
    z.strictObject({ count: DECIMAL, sum: DECIMAL, sumOfSquares: DECIMAL, salt: DECIMAL }),
  ),
  /** The chunk proofs (the proof system's JSON), for anyone to re-check. */
  proofs: z.array(z.unknown()),
})
export type StatsJobResult = z.infer<typeof StatsJobResultSchema>

export const statsKind = {
  name: 'stats',
  id: id('stats'),
  summary: 'count, sum and sum of squares of the values at or above --threshold (proven)',
  check: { by: 'proof', circuit: 'stats' },
  input: 'numeric-column',
  specSchema: z.strictObject({ ...jobSpecBase, kind: z.literal('stats'), threshold: DECIMAL }),
  resultSchema: StatsJobResultSchema,
} as const satisfies JobKind<'stats'>
