import { Command } from 'commander'
import { UnknownIdentityError } from '../../sdk/index.ts'
import { type GlobalOptions, print, UsageError } from '../io.ts'
import { type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export function projectApproversCommand(): Command {
  return withUserOptions(
    new Command('approvers')
      .description(
        "Set who approves a project's sensitive actions (erasing a dataset) and how many of them must: k of n EIP-712 signatures, checked on chain (owner only)",
      )
      .argument('<project>', 'project name')
      .argument('<identity...>', 'the approvers, as registered on the ledger')
      .requiredOption('--threshold <k>', 'how many approvals an action needs'),
  ).action(
    async (
      project: string,
      identities: string[],
      opts: UserOptions & { threshold: string },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const threshold = Number(opts.threshold)
      if (!Number.isInteger(threshold) || threshold < 1 || threshold > identities.length)
        throw new UsageError(
          `--threshold must be a whole number from 1 to ${identities.length} (the approvers named); got ${opts.threshold}`,
        )
      if (new Set(identities).size !== identities.length)
        throw new UsageError('an approver is named twice')
      await withSession(global, opts, async session => {
        const overview = await session.project(project)
        const accounts = []
        for (const name of identities) {
          const found = await session.ledger.identity(name)
          if (found?.kind !== 'user') throw new UnknownIdentityError(name)
          accounts.push(found.controller)
        }
        await session.ledger.setApprovers(overview.projectId, accounts, threshold)
        print(global, { project, approvers: identities, accounts, threshold }, [
          `${project}: ${threshold} of ${identities.length} approvals needed (${identities.join(', ')})`,
        ])
      })
    },
  )
}
