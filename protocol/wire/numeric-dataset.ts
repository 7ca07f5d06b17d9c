/**
 * Reading a committed numeric dataset back: its sealed manifest (found by the shard id the
 * ledger records), checked against the root committed on chain, then each sealed chunk.
 * Nodes read it to run a job, members to download it; both through a ShardReader.
 * @module
 */

import {
  EnvelopeAuthError,
  type EnvelopeContext,
  EnvelopeFormatError,
  type EnvelopeKey,
  openEnvelope,
  readEnvelopeHeader,
} from '../crypto/index.ts'
import { projectIdOf } from '../ledger/ids.ts'
import { LINEAR_FEATURES, MLP_RECORDS } from '../proof/circuits.ts'
import { SealnetError } from '../sealnet-error.ts'
import { CHUNKS_IN_FLIGHT, MAX_PROVEN_CHUNKS } from './constants.ts'
import { datasetEnvelopeKey } from './dataset-key.ts'
import {
  chunkContext,
  type DatasetManifest,
  DatasetManifestSchema,
  manifestContext,
  NumericChunkSchema,
} from './job-messages.ts'

/** Reads one shard of a project by id: from a local store, or from the holders (hash re-checked). */
export type ShardReader = (
  shardId: string,
  holders: Array<{ identity: string; peerId: string }>,
  projectId: string,
) => Promise<Uint8Array>

export class DatasetIntegrityError extends SealnetError {
  readonly code = 'dataset-integrity'
  constructor(dataset: string, problem: string) {
    super(`dataset ${dataset}: ${problem}`)
  }
}

/** Opens an envelope holding JSON; throws EnvelopeAuthError if it was altered or is not ours. */
export function openJson(key: EnvelopeKey, context: EnvelopeContext, bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(openEnvelope(key, context, bytes).plaintext).toString('utf8'))
}

export interface NumericDataset {
  manifest: DatasetManifest
  chunks: Array<{ values: bigint[]; salt: bigint }>
}

/** Where a committed dataset is read from, and with which keys. */
export type DatasetSource = Omit<DatasetReadOptions, 'onProgress'>

/**
 * Fetches and opens a dataset's manifest (its shape, chunk shards and holders) only.
 * DatasetIntegrityError if its root is not the committed one, or it does not open.
 */
export async function readDatasetManifest(source: DatasetSource): Promise<DatasetManifest> {
  const { project, dataset } = source
  const bytes = await source.readShard(
    source.manifest.shardId,
    source.manifest.holders,
    projectIdOf(project),
  )
  let manifest: DatasetManifest
  try {
    manifest = DatasetManifestSchema.parse(
      openJson(
        await source.keyFor(readEnvelopeHeader(bytes).keyVersion),
        manifestContext(project, dataset),
        bytes,
      ),
    )
  } catch (err) {
    if (err instanceof EnvelopeAuthError || err instanceof EnvelopeFormatError)
      throw new DatasetIntegrityError(dataset, `its manifest does not open: ${err.message}`)
    throw err
  }
  if (source.committedRoot !== manifest.root)
    throw new DatasetIntegrityError(dataset, "the manifest's root differs from the chain's")
  return manifest
}

/** What readDatasetChunks needs: where the dataset is, with which keys, and progress. */
export interface DatasetReadOptions {
  /**
   * The project key of a version (each shard's header names the version it was sealed
   * under: data from before a rotation stays under its old key). The caller zeroes them.
   */
  keyFor(version: number): Promise<EnvelopeKey>
  project: string
  dataset: string
  manifest: { shardId: string; holders: Array<{ identity: string; peerId: string }> }
  /** The root the ledger holds for this dataset. */
  committedRoot: string | undefined
  readShard: ShardReader
  /** The manifest, when the caller has read it already (readDatasetManifest): not fetched again. */
  opened?: DatasetManifest
  onProgress?(done: number, total: number): void
}

/**
 * Fetches and opens a dataset: its manifest (with the project key), then each chunk (with
 * the data key the manifest holds), parsed by `parse`.
 * DatasetIntegrityError if the manifest's root is not the committed one, or a shard does
 * not open with the project key.
 */
export async function readDatasetChunks<T>(
  options: DatasetReadOptions,
  parse: (opened: unknown, index: number, manifest: DatasetManifest) => T,
): Promise<{ manifest: DatasetManifest; chunks: T[] }> {
  const chunks: T[] = []
  const manifest = await readDatasetShards(options, (plaintext, index, manifest) => {
    chunks.push(parse(JSON.parse(Buffer.from(plaintext).toString('utf8')), index, manifest))
  })
  return { manifest, chunks }
}

/**
 * readDatasetChunks for chunks that are bytes, not JSON: each opened chunk is handed to
 * `take` in order (awaited, so a writer holds one chunk at a time).
 */
export async function readDatasetShards(
  options: DatasetReadOptions,
  take: (plaintext: Uint8Array, index: number, manifest: DatasetManifest) => unknown,
): Promise<DatasetManifest> {
  const { project, dataset, readShard } = options
  const projectId = projectIdOf(project)
  try {
    const manifest = options.opened ?? (await readDatasetManifest(options))
    // fetched CHUNKS_IN_FLIGHT ahead, opened and handed over in order
    const fetches: Promise<Uint8Array>[] = []
    const fetchAhead = (index: number) => {
      const chunk = manifest.chunks[index]
      if (!chunk) return
      fetches[index] = readShard(chunk.shardId, chunk.holders, projectId)
      // awaited in turn below; a failure ahead of its turn must not go unhandled meanwhile
      fetches[index].catch(() => {})
    }
    for (let index = 0; index < CHUNKS_IN_FLIGHT; index++) fetchAhead(index)
    for (const index of manifest.chunks.keys()) {
      const bytes = await fetches[index]!
      delete fetches[index]
      fetchAhead(index + CHUNKS_IN_FLIGHT)
      const version = readEnvelopeHeader(bytes).keyVersion
      const key = datasetEnvelopeKey(project, dataset, version, manifest.dataKey)
      const { plaintext } = openEnvelope(key, chunkContext(project, dataset, index), bytes)
      await take(plaintext, index, manifest)
      options.onProgress?.(index + 1, manifest.chunks.length)
    }
    return manifest
  } catch (err) {
    if (err instanceof EnvelopeAuthError || err instanceof EnvelopeFormatError)
      throw new DatasetIntegrityError(dataset, `a shard does not open: ${err.message}`)
    throw err
  }
}

/** Fetches and opens a numeric dataset (values with their salts); see readDatasetChunks. */
export function readNumericDataset(options: DatasetReadOptions): Promise<NumericDataset> {
  return readDatasetChunks(options, opened => {
    const parsed = NumericChunkSchema.parse(opened)
    return { values: parsed.values.map(BigInt), salt: BigInt(parsed.salt) }
  })
}

/** The chunk sizes the chain's verifiers check. */
export interface JobCircuitSizes {
  statsSize: number
  linearRecords: number
}

export class DatasetShapeError extends SealnetError {
  readonly code = 'dataset-shape'
  constructor(dataset: string, problem: string) {
    super(`dataset ${dataset} can't be used for this job: ${problem}`)
  }
}

/**
 * Throws DatasetShapeError unless a `kind` job can run on the dataset: a column of
 * `statsSize`-value chunks for stats, records of LINEAR_FEATURES features in chunks of
 * `linearRecords` for linear, and of the mlp circuit's one size for mlp; at most
 * MAX_PROVEN_CHUNKS chunks. Nodes check it before proving, the CLI before submitting.
 */
export function checkDatasetShape(
  kind: 'stats' | 'linear' | 'mlp',
  dataset: string,
  manifest: Pick<DatasetManifest, 'chunkSize' | 'features' | 'file' | 'table' | 'chunks'>,
  sizes: JobCircuitSizes,
): void {
  if (manifest.file) throw new DatasetShapeError(dataset, 'it holds a file, not values')
  if (manifest.table)
    throw new DatasetShapeError(
      dataset,
      `it is a table of decimals (${manifest.table.columns.length} columns); ${kind} jobs prove over whole numbers`,
    )
  const features = kind === 'stats' ? undefined : LINEAR_FEATURES
  const size =
    kind === 'stats' ? sizes.statsSize : kind === 'linear' ? sizes.linearRecords : MLP_RECORDS
  if (manifest.features !== features)
    throw new DatasetShapeError(
      dataset,
      features === undefined
        ? `a ${kind} job takes a single column; it holds records of ${manifest.features} features`
        : `a ${kind} job takes records of ${features} features; it holds ${manifest.features === undefined ? 'a single column' : `records of ${manifest.features}`}`,
    )
  if (manifest.chunkSize !== size)
    throw new DatasetShapeError(
      dataset,
      `its chunks hold ${manifest.chunkSize} ${features === undefined ? 'values' : 'records'}; the chain checks ${kind} chunks of ${size} (upload with --chunk-size ${size})`,
    )
  if (manifest.chunks.length > MAX_PROVEN_CHUNKS)
    throw new DatasetShapeError(
      dataset,
      `it has ${manifest.chunks.length} chunks; one ${kind} job's completion checks at most ${MAX_PROVEN_CHUNKS} chunk proofs in a block (split the data into datasets of at most ${MAX_PROVEN_CHUNKS * size} ${features === undefined ? 'values' : 'records'})`,
    )
}
