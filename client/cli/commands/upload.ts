import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Command } from 'commander'
import { paillierKeyId } from '../../../protocol/crypto/index.ts'
import { DEFAULT_VERIFIER_SIZES, datasetIdOf } from '../../../protocol/ledger/index.ts'
import { LINEAR_FEATURES, MLP_RECORDS, VALUE_BITS } from '../../../protocol/proof/index.ts'
import {
  FILE_CHUNK_BYTES,
  TABLE_MAX_COLUMNS,
  TABLE_MAX_DECIMALS,
  TABLE_MAX_MAGNITUDE,
} from '../../../protocol/wire/index.ts'
import {
  DatasetExistsError,
  type DatasetUpload,
  type UploadedDataset,
  uploadFile,
  uploadNumericDataset,
  uploadPaillierDataset,
  uploadTableDataset,
} from '../../sdk/index.ts'
import { type GlobalOptions, print, UsageError } from '../io.ts'
import { progressMeter } from '../progress-meter.ts'
import {
  note,
  type UserOptions,
  type UserSession,
  withSession,
  withUserOptions,
} from '../user-session.ts'
import { parseDecimalTable, parseNumericColumn, parseNumericRecords } from './numeric-column.ts'
import { readPaillierPublicKey } from './paillier-key-file.ts'

interface UploadOptions extends UserOptions {
  dataset?: string
  column?: string
  features?: string
  chunkSize?: string
  paillier?: string
  raw?: boolean
  csv?: string
  columns?: string
  decimals?: string
}

export function uploadCommand(): Command {
  return withUserOptions(
    new Command('upload')
      .description(
        "Upload a dataset: numeric values (chunked, each chunk committed with Poseidon, or by keccak256 of its ciphertexts with --paillier), or with --raw any file's bytes (1 MiB chunks, each committed by SHA-256); sealed with the project key, placed on two of the project's nodes, the sealed manifest too, the commitment root recorded on chain",
      )
      .argument('<project>', 'project name')
      .argument(
        '[file]',
        'one whole number per line, a CSV file with --column or --features, or any file with --raw (with --csv, the file is given there)',
      )
      .option('--dataset <name>', 'dataset name in the project (default: the file name)')
      .option('--column <name>', 'the CSV column to upload (the file has a header row)')
      .option(
        '--features <columns>',
        `records for linear and mlp jobs: ${LINEAR_FEATURES} CSV columns, comma-separated, each value below 2^${VALUE_BITS}`,
      )
      .option(
        '--chunk-size <n>',
        `entries per chunk, as the chain's verifier checks (default: ${DEFAULT_VERIFIER_SIZES.statsSize} values, or ${DEFAULT_VERIFIER_SIZES.linearRecords} records with --features (linear jobs; mlp jobs take ${MLP_RECORDS}), or 64 with --paillier)`,
      )
      .option(
        '--raw',
        "store the file's bytes as they are, any size (read a MiB at a time; jobs don't read raw datasets); shows progress in MiB/s",
      )
      .option(
        '--csv <file>',
        `a table for training and ONNX jobs: a CSV with a header row, decimals and negatives allowed, stored as fixed-point (value·10^decimals, the scale in the manifest); up to ${TABLE_MAX_COLUMNS} columns`,
      )
      .option(
        '--columns <names>',
        'with --csv: the columns to keep, comma-separated (default: all)',
      )
      .option(
        '--decimals <n>',
        `with --csv: the fixed-point scale, 0 to ${TABLE_MAX_DECIMALS} (default: the most decimals any value has); a value with more is refused`,
      )
      .option(
        '--paillier <file>',
        'for sum jobs: encrypt each value (a signed whole number) under this Paillier public key (from "sum-key create") before sealing; nodes add them without reading them',
      ),
  ).action(
    async (project: string, given: string | undefined, opts: UploadOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      if (opts.csv !== undefined) {
        if (
          given !== undefined ||
          opts.raw ||
          opts.column ||
          opts.features ||
          opts.paillier ||
          opts.chunkSize
        )
          throw new UsageError(
            '--csv names the file and sets the shape: drop the file argument, --raw, --column, --features, --paillier and --chunk-size',
          )
        return uploadCsv(global, opts, project, opts.csv)
      }
      if (opts.columns !== undefined || opts.decimals !== undefined)
        throw new UsageError('--columns and --decimals go with --csv')
      if (given === undefined) throw new UsageError('give the file to upload (or --csv FILE)')
      const file = given
      if (opts.raw) {
        if (opts.column || opts.features || opts.paillier || opts.chunkSize)
          throw new UsageError(
            '--raw stores bytes as they are: drop --column, --features, --paillier and --chunk-size',
          )
        return uploadRaw(global, opts, project, file)
      }
      const chunkSize = Number(
        opts.chunkSize ??
          (opts.paillier
            ? 64
            : opts.features
              ? DEFAULT_VERIFIER_SIZES.linearRecords
              : DEFAULT_VERIFIER_SIZES.statsSize),
      )
      const publicKey = opts.paillier ? await readPaillierPublicKey(opts.paillier) : undefined
      if (!Number.isInteger(chunkSize) || chunkSize < 1)
        throw new UsageError(`--chunk-size must be a positive whole number; got ${opts.chunkSize}`)
      const text = await readFile(file, 'utf8')
      let values: bigint[]
      let features: number | undefined
      if (opts.features !== undefined) {
        if (opts.column !== undefined) throw new UsageError('give --column or --features, not both')
        if (publicKey)
          throw new UsageError('a --paillier dataset is a single column: drop --features')
        const columns = opts.features.split(',').map(c => c.trim())
        if (columns.length !== LINEAR_FEATURES)
          throw new UsageError(
            `--features needs ${LINEAR_FEATURES} columns (the linear circuit's width); got ${columns.length}: ${columns.join(', ')}`,
          )
        values = parseNumericRecords(text, file, columns, 1n << BigInt(VALUE_BITS)).flat()
        features = LINEAR_FEATURES
      } else values = parseNumericColumn(text, file, opts.column, publicKey !== undefined)
      const dataset = opts.dataset ?? basename(file)
      await withSession(global, opts, async session => {
        const upload = await newDatasetTarget(session, project, dataset)
        const { storage, projectKey } = upload
        const started = performance.now()
        try {
          const target = {
            ...upload,
            onProgress: (done: number, total: number) =>
              note(`  chunk ${done}/${total} ${publicKey ? 'encrypted, ' : ''}sealed and placed`),
          }
          const uploaded: UploadedDataset = publicKey
            ? await uploadPaillierDataset({ ...target, values, chunkSize, publicKey })
            : await uploadNumericDataset({ ...target, values, chunkSize, features })
          const seconds = (performance.now() - started) / 1000
          const entries = values.length / (features ?? 1)
          const chunks = Math.ceil(entries / chunkSize)
          const what = features
            ? `${entries} records of ${features} features`
            : `${entries} ${publicKey ? `values encrypted under Paillier key ${paillierKeyId(publicKey)}` : 'values'}`
          print(
            global,
            {
              project,
              dataset,
              values: values.length,
              records: features ? entries : undefined,
              features,
              chunks,
              root: uploaded.root,
              manifest: uploaded.manifest.shardId,
              seconds: Number(seconds.toFixed(2)),
            },
            [
              `${dataset}: ${what} in ${chunks} chunks, sealed and placed on ${storage.length} node(s) in ${seconds.toFixed(1)} s`,
              `commitment root ${uploaded.root} recorded on chain`,
            ],
          )
        } finally {
          projectKey.key.fill(0)
        }
      })
    },
  )
}

/**
 * Where a new dataset goes: this user's client and ledger, the project's nodes and key.
 * DatasetExistsError if the name is taken (the root is committed last, once: a failed
 * upload is simply run again). The caller zeroes the key.
 */
async function newDatasetTarget(
  session: UserSession,
  project: string,
  dataset: string,
): Promise<DatasetUpload> {
  const overview = await session.project(project)
  if (await session.ledger.dataset(overview.projectId, datasetIdOf(dataset)))
    throw new DatasetExistsError(project, dataset)
  return {
    client: await session.client(),
    ledger: session.ledger,
    projectKey: await session.projectKey(overview),
    project,
    dataset,
    storage: await session.storage(overview),
  }
}

async function uploadRaw(
  global: GlobalOptions,
  opts: UploadOptions,
  project: string,
  file: string,
): Promise<void> {
  const dataset = opts.dataset ?? basename(file)
  await withSession(global, opts, async session => {
    const upload = await newDatasetTarget(session, project, dataset)
    const { storage, projectKey } = upload
    const { size } = await stat(file)
    const meter = progressMeter(`  ${dataset}`)
    try {
      const uploaded = await uploadFile({
        ...upload,
        path: file,
        onProgress: done => meter.update(Math.min(done * FILE_CHUNK_BYTES, size), size),
      })
      const mibPerSecond = meter.finish()
      print(
        global,
        {
          project,
          dataset,
          bytes: uploaded.bytes,
          chunks: Math.max(1, Math.ceil(uploaded.bytes / FILE_CHUNK_BYTES)),
          root: uploaded.root,
          manifest: uploaded.manifest.shardId,
          mibPerSecond: Number(mibPerSecond.toFixed(1)),
        },
        [
          `${dataset}: ${uploaded.bytes} bytes sealed and placed on ${storage.length} node(s) at ${mibPerSecond.toFixed(1)} MiB/s`,
          `commitment root ${uploaded.root} recorded on chain`,
        ],
      )
    } finally {
      projectKey.key.fill(0)
    }
  })
}

async function uploadCsv(
  global: GlobalOptions,
  opts: UploadOptions,
  project: string,
  file: string,
): Promise<void> {
  const decimals = opts.decimals === undefined ? undefined : Number(opts.decimals)
  if (
    decimals !== undefined &&
    !(Number.isInteger(decimals) && decimals >= 0 && decimals <= TABLE_MAX_DECIMALS)
  )
    throw new UsageError(
      `--decimals must be a whole number from 0 to ${TABLE_MAX_DECIMALS}; got ${opts.decimals}`,
    )
  const table = parseDecimalTable(
    await readFile(file, 'utf8'),
    file,
    {
      maxColumns: TABLE_MAX_COLUMNS,
      maxDecimals: TABLE_MAX_DECIMALS,
      maxMagnitude: TABLE_MAX_MAGNITUDE,
    },
    opts.columns?.split(',').map(c => c.trim()),
    decimals,
  )
  const dataset = opts.dataset ?? basename(file)
  const records = table.values.length / table.columns.length
  await withSession(global, opts, async session => {
    const upload = await newDatasetTarget(session, project, dataset)
    const { storage, projectKey } = upload
    const started = performance.now()
    try {
      const uploaded = await uploadTableDataset({
        ...upload,
        ...table,
        onProgress: (done, total) => note(`  chunk ${done}/${total} sealed and placed`),
      })
      const seconds = (performance.now() - started) / 1000
      print(
        global,
        {
          project,
          dataset,
          records,
          columns: table.columns,
          decimals: table.decimals,
          root: uploaded.root,
          manifest: uploaded.manifest.shardId,
          seconds: Number(seconds.toFixed(2)),
        },
        [
          `${dataset}: ${records} records of ${table.columns.length} columns (${table.columns.join(', ')}), fixed-point with ${table.decimals} decimals, sealed and placed on ${storage.length} node(s) in ${seconds.toFixed(1)} s`,
          `commitment root ${uploaded.root} recorded on chain`,
        ],
      )
    } finally {
      projectKey.key.fill(0)
    }
  })
}
