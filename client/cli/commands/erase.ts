import { readFile } from 'node:fs/promises'
import { Command } from 'commander'
import { ACTION_KINDS, datasetIdOf } from '../../../protocol/ledger/index.ts'
import {
  ActionMismatchError,
  type Approval,
  eraseDataset,
  liveDataset,
  parseApproval,
} from '../../sdk/index.ts'
import { type GlobalOptions, parseId32, print, UsageError } from '../io.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export const parseActionId = (text: string) =>
  parseId32(text, 'an action id (printed by "erase propose")')

function eraseProposeCommand(): Command {
  return withUserOptions(
    new Command('propose')
      .description(
        "Propose erasing a dataset (admin): recorded on chain; it runs once the project's approvers have signed it (sealnet approve)",
      )
      .argument('<project>', 'project name')
      .argument('<dataset>', 'dataset name'),
  ).action(async (project: string, dataset: string, opts: UserOptions, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    await withSession(global, opts, async session => {
      const overview = await session.project(project)
      await liveDataset(session.ledger, overview, dataset)
      const { approvers, threshold } = await session.ledger.approversOf(overview.projectId)
      if (threshold === 0)
        throw new UsageError(
          `${project} has no approvers; its owner sets them first: sealnet project approvers ${project} ID… --threshold K`,
        )
      const actionId = await session.ledger.proposeAction(
        overview.projectId,
        ACTION_KINDS.eraseDataset,
        datasetIdOf(dataset),
      )
      print(global, { project, dataset, actionId, threshold, approvers: approvers.length }, [
        `erasure of ${dataset} proposed: action ${actionId}`,
        `it needs ${threshold} of ${approvers.length} approvals: sealnet approve ${actionId} --dataset ${dataset} --out FILE`,
        `then: sealnet erase execute ${project} ${dataset} ${actionId} FILE…`,
      ])
    })
  })
}

function eraseExecuteCommand(): Command {
  return withUserOptions(
    new Command('execute')
      .description(
        "Execute an approved erasure (admin): the approvals checked on chain, then every chunk deleted from every node, then every manifest, and with them the dataset's key; each node records each deletion. Run it again if a node was down",
      )
      .argument('<project>', 'project name')
      .argument('<dataset>', 'dataset name')
      .argument('<actionId>', '0x… as printed by "erase propose"')
      .argument('[approvals...]', 'approval files written by "sealnet approve"'),
  ).action(
    async (
      project: string,
      dataset: string,
      text: string,
      files: string[],
      opts: UserOptions,
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const actionId = parseActionId(text)
      const approvals: Approval[] = []
      for (const file of files) {
        const approval = parseApproval(JSON.parse(await readFile(file, 'utf8')))
        if (approval.actionId !== actionId)
          throw new ActionMismatchError(approval.actionId, `is not ${actionId} (in ${file})`)
        approvals.push(approval)
      }
      await withSession(global, opts, async session => {
        const overview = await session.project(project)
        const keys = session.projectKeys(overview)
        try {
          const report = await eraseDataset({
            client: await session.client(),
            ledger: session.ledger,
            project: overview,
            dataset,
            actionId,
            approvals,
            keyFor: keys.keyFor,
            storage: await session.storage(overview),
            onProgress: step => note(`  ${step}`),
          })
          print(global, report, [
            `${dataset} erased: ${report.chunksDeleted} chunk and ${report.manifestsDeleted} manifest copies deleted, each recorded by its node`,
            `see it with: sealnet audit project ${project} --deletions`,
          ])
        } finally {
          keys.release()
        }
      })
    },
  )
}

export function eraseCommand(): Command {
  return new Command('erase')
    .description('Erase a dataset with k of n approvals (crypto-shredding: its key is destroyed)')
    .addCommand(eraseProposeCommand())
    .addCommand(eraseExecuteCommand())
}
