/** Typed failures of a job as its submitter sees them. */

import { SealnetError } from '../../../protocol/sealnet-error.ts'

export class JobTimeoutError extends SealnetError {
  readonly code = 'job-timeout'
  constructor(jobId: string, state: string, ms: number) {
    super(`job ${jobId.slice(0, 12)}… is still ${state} after ${Math.round(ms / 1000)} s`)
  }
}

export class JobResultMismatchError extends SealnetError {
  readonly code = 'job-result-mismatch'
  constructor(jobId: string, problem: string) {
    super(`the result of job ${jobId.slice(0, 12)}… does not check out: ${problem}`)
  }
}

/** A node found the job can never run (PERMANENT_JOB_FAILURES); its submitter cancelled it. */
export class JobRejectedError extends SealnetError {
  readonly code = 'job-rejected'
  constructor(jobId: string, node: string, reason: string, cancelled: boolean) {
    super(
      `job ${jobId.slice(0, 12)}… can't run: ${node} refused it (${reason}); ${cancelled ? 'it is cancelled on chain, so no other node tries it' : 'only its submitter can cancel it'}`,
    )
  }
}

export class JobCancelledError extends SealnetError {
  readonly code = 'job-cancelled'
  constructor(jobId: string, reason: string) {
    super(`job ${jobId.slice(0, 12)}… was cancelled by its submitter: ${reason}`)
  }
}

export class NotJobSubmitterError extends SealnetError {
  readonly code = 'not-job-submitter'
  constructor(jobId: string) {
    super(`the result of job ${jobId.slice(0, 12)}… is sealed to its submitter, not to you`)
  }
}
