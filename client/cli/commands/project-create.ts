import { Command } from 'commander'
import {
  createProjectKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../../../protocol/crypto/index.ts'
import { projectIdOf } from '../../../protocol/ledger/index.ts'
import { ProjectExistsError, projectOverview } from '../../sdk/index.ts'
import { type GlobalOptions, print, UsageError } from '../io.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export function projectCreateCommand(): Command {
  return withUserOptions(
    new Command('create')
      .description(
        'Create a project on the ledger, with a fresh project key wrapped to your own key (kept in <home>/projects)',
      )
      .argument('<name>', 'project name, unique on the ledger, e.g. acme-churn')
      .option(
        '--retention <days>',
        'shards older than this are deleted by the nodes (0: keep)',
        '0',
      ),
  ).action(async (name: string, opts: UserOptions & { retention: string }, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    const days = Number(opts.retention)
    if (!Number.isFinite(days) || days < 0)
      throw new UsageError(`--retention must be a number of days ≥ 0; got ${opts.retention}`)
    await withSession(global, opts, async session => {
      if ((await projectOverview(session.ledger, projectIdOf(name))).name)
        throw new ProjectExistsError(name)
      note(`creating ${name} on the ledger …`)
      const projectId = await session.ledger.createProject(name, Math.round(days * 86_400))
      const projectKey = createProjectKey(name)
      const own = wrapProjectKey(projectKey, session.key.publicKey)
      projectKey.key.fill(0)
      await session.keyring.save(own)
      // the owner's own grant: the trail shows who held version 1 from the start
      await session.ledger.recordGrant(projectId, session.identity, 1, wrappedKeyDigest(own))
      print(
        global,
        { project: name, projectId: projectIdOf(name), owner: session.identity, keyVersion: 1 },
        [
          `project ${name} created (${projectId})`,
          `owner ${session.identity}; key version 1, wrapped to your key in ${session.keyring.folder}`,
        ],
      )
    })
  })
}
