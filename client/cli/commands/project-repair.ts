import { Command } from 'commander'
import { liveNodes, repairDataset } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export function projectRepairCommand(): Command {
  return withUserOptions(
    new Command('repair')
      .description(
        "Bring datasets back to full replication after a node is gone for good (admin): each chunk's recorded holders are asked for it, and a chunk short of copies is copied, sealed as it is, to the live nodes closest to it; the manifest is re-placed and the chain pointed at it. Run it again after each loss; it finds nothing to do when all is well",
      )
      .argument('<project>', 'project name')
      .argument(
        '<datasets...>',
        'the datasets to repair, by name (the chain holds only their ids)',
      ),
  ).action(async (project: string, datasets: string[], opts: UserOptions, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    await withSession(global, opts, async session => {
      const overview = await session.project(project)
      const client = await session.client()
      const storage = await session.storage(overview)
      const live = await liveNodes(client, storage)
      const down = storage.filter(n => !live.includes(n)).map(n => n.identity)
      note(
        `${live.length} of ${storage.length} nodes answer${down.length ? `; down: ${down.join(', ')}` : ''}`,
      )
      const keys = session.projectKeys(overview)
      try {
        const done = []
        for (const dataset of datasets)
          done.push(
            await repairDataset({
              client,
              ledger: session.ledger,
              project: overview,
              dataset,
              keyFor: keys.keyFor,
              live,
              onProgress: (n, total) => note(`  ${dataset}: chunk ${n}/${total} checked`),
            }),
          )
        print(global, { project, live: live.map(n => n.identity), down, datasets: done }, [
          ...done.map(
            d =>
              `${d.dataset}: ${d.repaired} of ${d.chunks} chunk(s) short of copies, ${d.copies} copies placed${d.lost.length ? `; LOST (no live node serves them): chunks ${d.lost.join(', ')}` : ''}`,
          ),
        ])
        if (done.some(d => d.lost.length)) process.exitCode = 1
      } finally {
        keys.release()
      }
    })
  })
}
