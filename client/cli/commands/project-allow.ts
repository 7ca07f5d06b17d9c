import { Command } from 'commander'
import { projectIdOf } from '../../../protocol/ledger/index.ts'
import { type GlobalOptions, print, UsageError } from '../io.ts'
import { type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export function projectAllowCommand(): Command {
  return withUserOptions(
    new Command('allow')
      .description(
        "Put a node build's measurement on the project's allowlist: only nodes attesting to it can be authorized",
      )
      .argument('<project>', 'project name')
      .argument(
        '<measurement>',
        '0x… as a node attests it (printed by a refused "node authorize")',
      ),
  ).action(async (project: string, measurement: string, opts: UserOptions, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    if (!/^0x[0-9a-fA-F]{64}$/.test(measurement))
      throw new UsageError(`a measurement is 0x and 64 hex digits; got ${measurement}`)
    await withSession(global, opts, async session => {
      await session.project(project)
      await session.ledger.allowMeasurement(projectIdOf(project), measurement)
      print(global, { project, measurement, allowed: true }, [
        `measurement ${measurement} allowed in ${project}`,
      ])
    })
  })
}
