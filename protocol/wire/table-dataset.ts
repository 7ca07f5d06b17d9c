/**
 * Tables as datasets: records of named columns holding signed decimals, each stored as
 * the whole number value·10^decimals (one scale for the table, in the manifest). A chunk
 * is `{ values, salt }` (its records' values row by row) sealed as JSON bytes and
 * committed by the SHA-256 of those bytes: the kinds that read tables are attested, not
 * proven, so the commitment needs to be fast and exact, not circuit-friendly.
 * @module
 */
import { randomBytes } from 'node:crypto'
import * as z from 'zod'
import { SealnetError } from '../sealnet-error.ts'
import { sha256ChunkCommitment } from './file-dataset.ts'
import { type DatasetManifest, HEX32, SIGNED_DECIMAL } from './job-messages.ts'
import {
  DatasetIntegrityError,
  type DatasetReadOptions,
  DatasetShapeError,
  readDatasetManifest,
  readDatasetShards,
} from './numeric-dataset.ts'

/**
 * Most columns a table may have: a chunk must hold whole records within one shard, and
 * training solves a columns × columns system on one node.
 */
export const TABLE_MAX_COLUMNS = 1024
/** Most decimals a value may have (the scale is 10^decimals). */
export const TABLE_MAX_DECIMALS = 9
/** Largest |value·10^decimals|: every stored number converts to a float64 exactly. */
export const TABLE_MAX_MAGNITUDE = BigInt(Number.MAX_SAFE_INTEGER)
/** Values a chunk holds at most: at ≤ 20 bytes each, a sealed chunk stays below a shard. */
export const TABLE_CHUNK_VALUES = 32_768

/** Whole records in a chunk of a table of `columns` columns. */
export const tableRecordsPerChunk = (columns: number): number =>
  Math.max(1, Math.floor(TABLE_CHUNK_VALUES / columns))

export const TableChunkSchema = z.strictObject({
  values: z.array(SIGNED_DECIMAL).min(1).max(TABLE_CHUNK_VALUES),
  /** Random: a chunk's public commitment reveals nothing about few, guessable values. */
  salt: HEX32,
})

/** A chunk's sealed plaintext and its commitment. */
export function tableChunk(values: readonly bigint[]): { bytes: Uint8Array; commitment: bigint } {
  const chunk = {
    values: values.map(String),
    salt: `0x${randomBytes(32).toString('hex')}`,
  }
  const bytes = Buffer.from(JSON.stringify(chunk), 'utf8')
  return { bytes, commitment: sha256ChunkCommitment(bytes) }
}

export interface TableDataset {
  manifest: DatasetManifest
  columns: string[]
  decimals: number
  records: number
  /** value·10^decimals of every record, row by row (exact: each is below 2^53). */
  values: Float64Array
}

export class UnknownColumnError extends SealnetError {
  readonly code = 'dataset-shape'
  constructor(dataset: string, column: string, columns: readonly string[]) {
    super(`dataset ${dataset} has no column "${column}"; its columns are ${columns.join(', ')}`)
  }
}

/** The indexes of `names` among the table's columns; UnknownColumnError for a missing one. */
export function columnIndexes(table: TableDataset, names: readonly string[]): number[] {
  return names.map(name => {
    const index = table.columns.indexOf(name)
    if (index < 0) throw new UnknownColumnError(table.manifest.dataset, name, table.columns)
    return index
  })
}

/**
 * The named columns of every record as decimals (value / 10^decimals), row by row:
 * what a model reads. Float32 is ONNX's usual input type.
 */
export function tableFeatures(table: TableDataset, names: readonly string[]): Float32Array {
  const indexes = columnIndexes(table, names)
  const scale = 10 ** table.decimals
  const width = table.columns.length
  const features = new Float32Array(table.records * indexes.length)
  for (let r = 0; r < table.records; r++)
    for (let c = 0; c < indexes.length; c++)
      features[r * indexes.length + c] = table.values[r * width + indexes[c]!]! / scale
  return features
}

/**
 * Fetches and opens a table dataset, checking each chunk against its commitment and the
 * record count against the manifest. DatasetShapeError if the dataset is not a table;
 * DatasetIntegrityError if a chunk differs from what was committed.
 */
export async function readTableDataset(options: DatasetReadOptions): Promise<TableDataset> {
  const manifest = options.opened ?? (await readDatasetManifest(options))
  const { table } = manifest
  if (!table)
    throw new DatasetShapeError(options.dataset, 'it is not a table (upload it with --csv)')
  const width = table.columns.length
  const values = new Float64Array(table.records * width)
  let filled = 0
  await readDatasetShards({ ...options, opened: manifest }, (plaintext, index) => {
    if (String(sha256ChunkCommitment(plaintext)) !== manifest.chunks[index]!.commitment)
      throw new DatasetIntegrityError(options.dataset, `chunk ${index} differs from its commitment`)
    const chunk = TableChunkSchema.parse(JSON.parse(Buffer.from(plaintext).toString('utf8')))
    if (chunk.values.length % width !== 0 || filled + chunk.values.length > values.length)
      throw new DatasetIntegrityError(options.dataset, `chunk ${index} does not hold whole records`)
    for (const value of chunk.values) values[filled++] = Number(value)
  })
  if (filled !== values.length)
    throw new DatasetIntegrityError(
      options.dataset,
      `it holds ${filled / width} records; its manifest says ${table.records}`,
    )
  return {
    manifest,
    columns: table.columns,
    decimals: table.decimals,
    records: table.records,
    values,
  }
}
