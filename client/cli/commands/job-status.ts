/** `sealnet job status`: a job's state on chain and on its node, with every failure and a cancellation. */

import { Command } from 'commander'
import { jobSetbacks } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'
import { nodesById, parseJobId, UnknownJobError } from './job-lookup.ts'

export function jobStatusCommand(): Command {
  return withUserOptions(
    new Command('status')
      .description(
        'Show a job: its status on chain, and from the node running it the phase and the time spent in each',
      )
      .argument('<jobId>', '0x… as printed by "job submit"'),
  ).action(async (text: string, opts: UserOptions, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    const jobId = parseJobId(text)
    await withSession(global, opts, async session => {
      const job = await session.ledger.job(jobId)
      if (!job) throw new UnknownJobError(jobId)
      const nodes = await nodesById(session.ledger)
      const node = nodes.get(job.nodeId)
      const answer = node
        ? await (await session.client()).jobStatus(node.peerId, jobId).catch(err => {
            note(`${node.identity} does not answer: ${err instanceof Error ? err.message : err}`)
            return undefined
          })
        : undefined
      const phases = answer?.phases ?? {}
      const setbacks = await jobSetbacks(session.ledger, jobId)
      const failures = setbacks.failures.map(f => ({
        node: nodes.get(f.nodeId)?.identity ?? f.nodeId,
        reason: f.reason,
      }))
      print(
        global,
        {
          jobId,
          status: job.status,
          node: node?.identity,
          phase: answer?.phase,
          phases,
          error: answer?.error,
          failures,
          cancelled: setbacks.cancelled,
        },
        [
          `job ${jobId}`,
          `on chain  ${job.status}${node ? ` by ${node.identity}` : ''}${setbacks.cancelled === undefined ? '' : `: ${setbacks.cancelled}`}`,
          ...(answer
            ? [
                `phase     ${answer.phase}${answer.error ? ` (${answer.error})` : ''}`,
                ...Object.entries(phases).map(
                  ([phase, ms]) => `  ${phase.padEnd(10)} ${(ms / 1000).toFixed(1)} s`,
                ),
              ]
            : []),
          ...failures.map(f => `failed on ${f.node}: ${f.reason}`),
        ],
      )
    })
  })
}
