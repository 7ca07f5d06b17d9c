/** The job kinds the chain knows, by their on-chain id, and the verifier sizes deployed by default. */

import { id } from 'ethers'
import { CIRCUITS } from '../proof/circuits.ts'

export const JOB_KINDS = { stats: id('stats'), linear: id('linear'), sum: id('sum') } as const

/** The sizes the deployed verifiers take by default: each circuit's largest built size. */
export const DEFAULT_VERIFIER_SIZES = {
  statsSize: CIRCUITS.stats.sizes.at(-1)!,
  linearRecords: CIRCUITS.linear.sizes.at(-1)!,
} as const
