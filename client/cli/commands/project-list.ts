import { Command } from 'commander'
import { projectsOf } from '../../../protocol/ledger/index.ts'
import { type GlobalOptions, print } from '../io.ts'
import { type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export function projectListCommand(): Command {
  return withUserOptions(
    new Command('list').description('List the projects in which you hold a role'),
  ).action(async (opts: UserOptions, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    await withSession(global, opts, async session => {
      const account = session.address
      const projects = []
      for (const { projectId, name } of await projectsOf(session.ledger, account)) {
        const overview = await session.project(name)
        const roles = overview.members.find(m => m.account === account)?.roles ?? []
        if (roles.length > 0) projects.push({ project: name, projectId, roles })
      }
      print(
        global,
        projects,
        projects.length === 0
          ? ['no projects yet: "sealnet project create NAME" makes one']
          : projects.map(p => `${p.project.padEnd(24)} ${p.roles.join(', ')}`),
      )
    })
  })
}
