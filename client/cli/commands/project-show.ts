import { Command } from 'commander'
import { projectOverview } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'
import { openProjectLedger } from './open-project.ts'

const short = (hex: string) => `${hex.slice(0, 10)}…`

export function projectShowCommand(): Command {
  return new Command('show')
    .description(
      'Show a project from the ledger: owner, retention, key version, grants, datasets (needs no password)',
    )
    .argument('<project>', 'project name, or its 0x id')
    .action(async (project: string, _opts: unknown, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const { ledger, projectId, close } = await openProjectLedger(global, project)
      try {
        const o = await projectOverview(ledger, projectId)
        const owner = o.members.find(m => m.roles.includes('owner'))
        print(global, o, [
          `project ${o.name} (${o.projectId})`,
          `owner      ${owner?.identity ?? o.owner}`,
          `retention  ${o.retentionSeconds === 0 ? 'none' : `${o.retentionSeconds / 86_400} days`}`,
          `key        version ${o.keyVersion}`,
          `members    ${o.members.length}`,
          `grants     ${o.grants.length}`,
          ...o.grants.map(
            g =>
              `  ${g.identity.padEnd(28)} ${g.kind.padEnd(5)} v${g.keyVersion}${g.kind === 'node' ? ` measurement ${short(g.measurement)}` : ''}`,
          ),
          `datasets   ${o.datasets.length}`,
          ...o.datasets.map(
            d => `  ${short(d.datasetId)} ${d.chunks} chunks, root ${short(d.root)}`,
          ),
        ])
      } finally {
        await close()
      }
    })
}

export function projectMembersCommand(): Command {
  return new Command('members')
    .description("List a project's members and their roles, from the ledger (needs no password)")
    .argument('<project>', 'project name, or its 0x id')
    .action(async (project: string, _opts: unknown, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const { ledger, projectId, close } = await openProjectLedger(global, project)
      try {
        const { members } = await projectOverview(ledger, projectId)
        print(
          global,
          members,
          members.map(m => `${(m.identity ?? m.account).padEnd(28)} ${m.roles.join(', ')}`),
        )
      } finally {
        await close()
      }
    })
}
