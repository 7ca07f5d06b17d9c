import { once } from 'node:events'
import { Command } from 'commander'
import {
  type DatasetReadOptions,
  type DatasetSource,
  FILE_CHUNK_BYTES,
  readDatasetManifest,
  readFileDataset,
  readNumericDataset,
  readTableDataset,
} from '../../../protocol/wire/index.ts'
import { downloadFile, writeFileAtomic } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'
import { progressMeter } from '../progress-meter.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export function downloadCommand(): Command {
  return withUserOptions(
    new Command('download')
      .description(
        "Download a dataset: its manifest found by the shard id on chain, every chunk fetched from the project's nodes (hash re-checked, next replica on failure), opened with the project key, the root checked against the chain; a raw dataset (upload --raw) comes back as its bytes, each chunk and the whole file checked, with progress in MiB/s; a table (upload --csv) as CSV with its header and decimals",
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
          if (source.opened.table) return await downloadTable(global, source, opts.output)
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

/** value·10^decimals as the decimal it stands for: -1234 with 2 decimals is -12.34. */
export function formatFixedPoint(value: number, decimals: number): string {
  const digits = BigInt(Math.abs(value))
    .toString()
    .padStart(decimals + 1, '0')
  const sign = value < 0 ? '-' : ''
  if (decimals === 0) return `${sign}${digits}`
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`
}

/** A table dataset back as CSV (its header, then a record a line) to `output` or stdout. */
async function downloadTable(
  global: GlobalOptions,
  source: DatasetReadOptions,
  output: string | undefined,
): Promise<void> {
  const table = await readTableDataset({
    ...source,
    onProgress: (done, total) => note(`  chunk ${done}/${total} fetched, opened and checked`),
  })
  const width = table.columns.length
  const lines = [table.columns.join(',')]
  for (let r = 0; r < table.records; r++)
    lines.push(
      Array.from(table.values.subarray(r * width, (r + 1) * width), v =>
        formatFixedPoint(v, table.decimals),
      ).join(','),
    )
  const text = `${lines.join('\n')}\n`
  if (!output) {
    process.stdout.write(text)
    return
  }
  await writeFileAtomic(output, text)
  print(
    global,
    {
      project: source.project,
      dataset: source.dataset,
      records: table.records,
      columns: table.columns,
      output,
    },
    [
      `${source.dataset}: ${table.records} records of ${width} columns verified against the chain's root, written to ${output}`,
    ],
  )
}
