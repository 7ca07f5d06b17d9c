/** `sealnet job cancel`: the submitter withdraws a job no node should run. */

import { Command } from 'commander'
import { type GlobalOptions, print } from '../io.ts'
import { type UserOptions, withSession, withUserOptions } from '../user-session.ts'
import {
  JobNotCancellableError,
  NotYourJobError,
  parseJobId,
  UnknownJobError,
} from './job-lookup.ts'

export function jobCancelCommand(): Command {
  return withUserOptions(
    new Command('cancel')
      .description(
        'Withdraw a job you submitted, for good: no node takes it any more (job result cancels a job a node found can never run by itself)',
      )
      .argument('<jobId>', '0x… as printed by "job submit"')
      .option(
        '--reason <text>',
        'recorded on chain with the cancellation',
        'withdrawn by its submitter',
      ),
  ).action(async (text: string, opts: UserOptions & { reason: string }, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    const jobId = parseJobId(text)
    await withSession(global, opts, async session => {
      const job = await session.ledger.job(jobId)
      if (!job) throw new UnknownJobError(jobId)
      if (job.submitter.toLowerCase() !== session.address) throw new NotYourJobError(jobId)
      if (job.status !== 'submitted' && job.status !== 'assigned')
        throw new JobNotCancellableError(jobId, job.status)
      await session.ledger.cancelJob(jobId, opts.reason)
      print(global, { jobId, status: 'cancelled', reason: opts.reason }, [
        `job ${jobId} cancelled: ${opts.reason}`,
      ])
    })
  })
}
