import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { Command } from 'commander'
import { DEFAULT_VERIFIER_SIZES, datasetIdOf } from '../../../protocol/ledger/index.ts'
import { DatasetExistsError, uploadNumericDataset } from '../../sdk/index.ts'
import { type GlobalOptions, print, UsageError } from '../io.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'
import { parseNumericColumn } from './numeric-column.ts'

interface UploadOptions extends UserOptions {
  dataset?: string
  column?: string
  chunkSize: string
}

export function uploadCommand(): Command {
  return withUserOptions(
    new Command('upload')
      .description(
        "Upload a numeric dataset: chunked, each chunk committed (Poseidon) and sealed with the project key, placed on two of the project's nodes, the sealed manifest too, the commitment root recorded on chain",
      )
      .argument('<project>', 'project name')
      .argument('<file>', 'one whole number per line, or a CSV file with --column')
      .option('--dataset <name>', 'dataset name in the project (default: the file name)')
      .option('--column <name>', 'the CSV column to upload (the file has a header row)')
      .option(
        '--chunk-size <n>',
        'values per chunk: the chunk size of the stats circuit the chain verifies',
        String(DEFAULT_VERIFIER_SIZES.statsSize),
      ),
  ).action(async (project: string, file: string, opts: UploadOptions, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    const chunkSize = Number(opts.chunkSize)
    if (!Number.isInteger(chunkSize) || chunkSize < 1)
      throw new UsageError(`--chunk-size must be a positive whole number; got ${opts.chunkSize}`)
    const values = parseNumericColumn(await readFile(file, 'utf8'), file, opts.column)
    const dataset = opts.dataset ?? basename(file)
    await withSession(global, opts, async session => {
      const overview = await session.project(project)
      // the root is committed last, once: a failed upload is simply run again
      if (await session.ledger.dataset(overview.projectId, datasetIdOf(dataset)))
        throw new DatasetExistsError(project, dataset)
      const storage = await session.storage(overview)
      const projectKey = await session.projectKey(overview)
      const started = performance.now()
      try {
        const uploaded = await uploadNumericDataset({
          client: await session.client(),
          ledger: session.ledger,
          projectKey,
          project,
          dataset,
          values,
          chunkSize,
          storage,
          onProgress: (done, total) => note(`  chunk ${done}/${total} sealed and placed`),
        })
        const seconds = (performance.now() - started) / 1000
        const chunks = Math.ceil(values.length / chunkSize)
        print(
          global,
          {
            project,
            dataset,
            values: values.length,
            chunks,
            root: uploaded.root,
            manifest: uploaded.manifest.shardId,
            seconds: Number(seconds.toFixed(2)),
          },
          [
            `${dataset}: ${values.length} values in ${chunks} chunks, sealed and placed on ${storage.length} node(s) in ${seconds.toFixed(1)} s`,
            `commitment root ${uploaded.root} recorded on chain`,
          ],
        )
      } finally {
        projectKey.key.fill(0)
      }
    })
  })
}
