import { once } from 'node:events'
import { Command } from 'commander'
import {
  type DatasetSource,
  FILE_CHUNK_BYTES,
  readDatasetManifest,
  readFileDataset,
  readNumericDataset,
} from '../../../protocol/wire/index.ts'
import { downloadFile, writeFileAtomic } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'
import { progressMeter } from '../progress-meter.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export function downloadCommand(): Command {
  return withUserOptions(
    new Command('download')
      .description(
        "Download a dataset: its manifest found by the shard id on chain, every chunk fetched from the project's nodes (hash re-checked, next replica on failure), opened with the project key, the root checked against the chain; a raw dataset (upload --raw) comes back as its bytes, each chunk and the whole file checked, with progress in MiB/s",
      )
      .argument('<project>', 'project name')
      .argument('<dataset>', 'dataset name, as uploaded')
      .option(
        '-o, --output <file>',
        'write the values there, one per line, or a record per line with its features comma-separated; a raw dataset its bytes, the file appearing once all are checked (default: stdout)',
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
          const read = await session.datasetSource(overview, dataset, keys)
          // read once: whether the dataset is raw bytes or values decides how it comes back
          const source = { ...read, opened: await readDatasetManifest(read) }
          if (source.opened.file)
            return await downloadRaw(global, source, source.opened.file.bytes, opts.output)
          const { manifest, chunks } = await readNumericDataset({
            ...source,
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

/** A raw dataset's bytes to `output` (atomically) or stdout, with a progress meter. */
async function downloadRaw(
  global: GlobalOptions,
  source: DatasetSource,
  bytes: number,
  output: string | undefined,
): Promise<void> {
  const meter = progressMeter(`  ${source.dataset}`)
  const withProgress = {
    ...source,
    onProgress: (done: number) => meter.update(Math.min(done * FILE_CHUNK_BYTES, bytes), bytes),
  }
  const file = output
    ? await downloadFile(withProgress, output)
    : await readFileDataset(withProgress, chunk => {
        if (!process.stdout.write(chunk)) return once(process.stdout, 'drain')
      })
  const mibPerSecond = meter.finish()
  if (output)
    print(
      global,
      {
        project: source.project,
        dataset: source.dataset,
        bytes: file.bytes,
        sha256: file.sha256,
        output,
        mibPerSecond: Number(mibPerSecond.toFixed(1)),
      },
      [
        `${source.dataset}: ${file.bytes} bytes, every chunk and the SHA-256 ${file.sha256.slice(0, 16)}… checked, written to ${output} at ${mibPerSecond.toFixed(1)} MiB/s`,
      ],
    )
}
