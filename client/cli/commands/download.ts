import { Command } from 'commander'
import { datasetIdOf } from '../../../protocol/ledger/index.ts'
import { fetchShard, readNumericDataset } from '../../../protocol/wire/index.ts'
import { UnknownDatasetError, writeFileAtomic } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export function downloadCommand(): Command {
  return withUserOptions(
    new Command('download')
      .description(
        "Download a dataset: its manifest found by the shard id on chain, every chunk fetched from the project's nodes (hash re-checked, next replica on failure), opened with the project key, the root checked against the chain",
      )
      .argument('<project>', 'project name')
      .argument('<dataset>', 'dataset name, as uploaded')
      .option(
        '-o, --output <file>',
        'write the values there, one per line, or a record per line with its features comma-separated (default: stdout)',
      ),
  ).action(
    async (
      project: string,
      dataset: string,
      opts: UserOptions & { output?: string },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      await withSession(global, opts, async session => {
        const overview = await session.project(project)
        const committed = await session.ledger.dataset(overview.projectId, datasetIdOf(dataset))
        if (!committed) throw new UnknownDatasetError(project, dataset)
        const storage = await session.storage(overview)
        const client = await session.client()
        const keys = session.projectKeys(overview)
        try {
          const { manifest, chunks } = await readNumericDataset({
            keyFor: keys.keyFor,
            project,
            dataset,
            manifest: { shardId: committed.manifestShardId, holders: storage },
            committedRoot: committed.root,
            readShard: async (shardId, holders) =>
              (await fetchShard(client, shardId, holders)).shard,
            onProgress: (done, total) => note(`  chunk ${done}/${total} fetched and opened`),
          })
          const values = chunks.flatMap(c => c.values)
          // a records dataset comes back a record per line, its features comma-separated
          const width = manifest.features ?? 1
          const lines = Array.from({ length: values.length / width }, (_, r) =>
            values.slice(r * width, (r + 1) * width).join(','),
          )
          const text = `${lines.join('\n')}\n`
          if (opts.output) {
            await writeFileAtomic(opts.output, text)
            print(global, { project, dataset, values: values.length, output: opts.output }, [
              `${dataset}: ${values.length} values verified against the chain's root, written to ${opts.output}`,
            ])
          } else if (global.json)
            print(global, { project, dataset, values: values.map(String) }, [])
          else process.stdout.write(text)
        } finally {
          keys.release()
        }
      })
    },
  )
}
