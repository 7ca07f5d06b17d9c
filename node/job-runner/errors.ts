/** Why a job stopped on this node: the node stopping, or a phase over its deadline. */

import { SealnetError } from '../../protocol/sealnet-error.ts'
import type { JobPhase } from '../../protocol/wire/index.ts'

export class JobAbortedError extends SealnetError {
  readonly code = 'job-aborted'
  constructor(reason: string) {
    super(reason)
  }
}

export class JobPhaseTimeoutError extends SealnetError {
  readonly code = 'job-phase-timeout'
  constructor(phase: JobPhase, ms: number) {
    super(`phase ${phase} took longer than ${ms} ms`)
  }
}

/** `work`, or a JobPhaseTimeoutError once `ms` pass in `phase`. */
export function withTimeout<T>(work: Promise<T>, phase: JobPhase, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobPhaseTimeoutError(phase, ms)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

export class ResultTooLargeError extends SealnetError {
  readonly code = 'result-too-large'
  constructor(bytes: number, limit: number) {
    super(
      `the result is ${bytes} bytes; a sealed result travels in at most ${limit}: split the dataset, or ask for fewer outputs`,
    )
  }
}
