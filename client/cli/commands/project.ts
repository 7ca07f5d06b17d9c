import { Command } from 'commander'
import { projectAllowCommand } from './project-allow.ts'
import { projectApproversCommand } from './project-approvers.ts'
import { projectCreateCommand } from './project-create.ts'
import { projectListCommand } from './project-list.ts'
import { projectRekeyCommand } from './project-rekey.ts'
import { projectRepairCommand } from './project-repair.ts'
import { projectRevokeCommand } from './project-revoke.ts'
import { projectShareCommand } from './project-share.ts'
import { projectMembersCommand, projectShowCommand } from './project-show.ts'

export function projectCommand(): Command {
  return new Command('project')
    .description(
      'Encrypted projects: create, list, show, share with teammates and revoke them (rotating the key), re-seal old data, repair lost replicas, allow node builds',
    )
    .addCommand(projectCreateCommand())
    .addCommand(projectListCommand())
    .addCommand(projectShowCommand())
    .addCommand(projectMembersCommand())
    .addCommand(projectShareCommand())
    .addCommand(projectRevokeCommand())
    .addCommand(projectRekeyCommand())
    .addCommand(projectRepairCommand())
    .addCommand(projectAllowCommand())
    .addCommand(projectApproversCommand())
}
