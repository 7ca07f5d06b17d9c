import { Command } from 'commander'
import { readNumericDataset } from '../../../protocol/wire/index.ts'
import { writeFileAtomic } from '../../sdk/index.ts'
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
        const keys = session.projectKeys(overview)
        try {
          const { manifest, chunks } = await readNumericDataset({
            ...(await session.datasetSource(overview, dataset, keys)),
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
