/** `sealnet job`: the job commands; each lives in its own file. */

import { Command } from 'commander'
import { jobCancelCommand } from './job-cancel.ts'
import { jobResultCommand } from './job-result.ts'
import { jobStatusCommand } from './job-status.ts'
import { jobSubmitCommand } from './job-submit.ts'

export function jobCommand(): Command {
  return new Command('job')
    .description('Encrypted jobs run by the project’s nodes, with proofs checked on chain')
    .addCommand(jobSubmitCommand())
    .addCommand(jobStatusCommand())
    .addCommand(jobResultCommand())
    .addCommand(jobCancelCommand())
}
