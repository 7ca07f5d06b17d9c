import { join } from 'node:path'
import { Command } from 'commander'
import { rekeyProject } from '../../sdk/index.ts'
import { type GlobalOptions, print, sealnetHome } from '../io.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export function projectRekeyCommand(): Command {
  return withUserOptions(
    new Command('rekey')
      .description(
        "Re-seal datasets under the project's current key version (after a revocation): each old chunk opened and sealed again, a new manifest, the chain pointed at it, then the old shards deleted; resumable, and readable throughout",
      )
      .argument('<project>', 'project name')
      .argument('<datasets...>', 'the datasets to re-seal, by name'),
  ).action(async (project: string, datasets: string[], opts: UserOptions, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    await withSession(global, opts, async session => {
      const overview = await session.project(project)
      const keys = session.projectKeys(overview)
      try {
        const done = await rekeyProject({
          client: await session.client(),
          ledger: session.ledger,
          project: overview,
          datasets,
          keyFor: keys.keyFor,
          storage: await session.storage(overview),
          journal: join(sealnetHome(global), 'rekey', `${project}.json`),
          onProgress: p => note(`  ${p.dataset}: chunk ${p.done}/${p.total}`),
        })
        print(global, { project, keyVersion: overview.keyVersion, datasets: done }, [
          ...done.map(
            d =>
              `${d.dataset}: ${d.resealed} of ${d.chunks} chunk(s) re-sealed under key version ${overview.keyVersion}${d.resealed === 0 ? ' (already current)' : ''}; ${d.deleted} old shard copies deleted`,
          ),
          ...done.flatMap(d =>
            d.deleteFailures.map(f => `not deleted yet (run rekey again): ${f}`),
          ),
        ])
      } finally {
        keys.release()
      }
    })
  })
}
