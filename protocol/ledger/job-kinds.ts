/** The verifier sizes deployed by default (the kinds themselves: protocol/job-kinds). */

import { CIRCUITS } from '../proof/circuits.ts'

/** The sizes the deployed verifiers take by default: each circuit's largest built size. */
export const DEFAULT_VERIFIER_SIZES = {
  statsSize: CIRCUITS.stats.sizes.at(-1)!,
  linearRecords: CIRCUITS.linear.sizes.at(-1)!,
} as const
