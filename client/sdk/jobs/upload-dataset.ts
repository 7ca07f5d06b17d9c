/**
 * Upload a dataset a job can run on: numeric values (chunks committed with salted Poseidon,
 * sealed, placed with replication; the manifest sealed too; the root on chain), or a column
 * of Paillier ciphertexts.
 * @module
 */

import {
  ciphertextToHex,
  type EnvelopeKey,
  encryptPaillier,
  type PaillierPublicKey,
  sealEnvelope,
  utf8,
} from '../../../protocol/crypto/index.ts'
import { datasetIdOf, type Ledger, projectIdOf } from '../../../protocol/ledger/index.ts'
import { dataChunkCommitment, datasetRoot, randomSalt } from '../../../protocol/proof/index.ts'
import {
  CHUNKS_IN_FLIGHT,
  chunkContext,
  createDatasetKey,
  type DatasetManifest,
  datasetEnvelopeKey,
  manifestContext,
  type PeerClient,
  paillierChunkCommitment,
  placeShard,
  type StorageNode,
  TABLE_MAX_COLUMNS,
  TABLE_MAX_DECIMALS,
  TABLE_MAX_MAGNITUDE,
  tableChunk,
  tableRecordsPerChunk,
} from '../../../protocol/wire/index.ts'

export const sealJson = (
  key: EnvelopeKey,
  context: Parameters<typeof sealEnvelope>[1],
  value: unknown,
) => sealEnvelope(key, context, utf8(JSON.stringify(value)))

export interface UploadedDataset {
  dataset: string
  root: string
  manifest: { shardId: string; holders: StorageNode[] }
}

/** Where a dataset goes: the project, its key, the nodes to place it on. */
export interface DatasetUpload {
  client: PeerClient
  ledger: Ledger
  projectKey: EnvelopeKey
  project: string
  dataset: string
  storage: readonly StorageNode[]
  replication?: number
  onProgress?(done: number, total: number): void
}

/**
 * Seals and places `count` chunks (each one `chunk(index)` makes) with a fresh data key,
 * then the manifest holding that key, sealed with the project key, and commits the root
 * on chain: the part every dataset kind shares.
 */
export async function uploadChunks(
  options: DatasetUpload & {
    count: number
    /** A chunk's payload: JSON, or bytes sealed as they are. */
    chunk(index: number): Promise<{ payload: unknown; commitment: bigint }>
    /** The manifest's shape fields, read once every chunk is placed (a file's hash is known last). */
    shape: () => Pick<DatasetManifest, 'chunkSize' | 'features' | 'paillier' | 'file' | 'table'>
  },
): Promise<UploadedDataset> {
  const { client, projectKey, project, dataset, storage } = options
  const projectId = projectIdOf(project)
  const dataKey = createDatasetKey()
  const chunkKey = datasetEnvelopeKey(project, dataset, projectKey.version, dataKey)
  const chunks: DatasetManifest['chunks'] = []
  // chunks are made in order, and up to CHUNKS_IN_FLIGHT are being placed at once
  const placing = new Set<Promise<void>>()
  let placed = 0
  for (let index = 0; index < options.count; index++) {
    const { payload, commitment } = await options.chunk(index)
    const context = chunkContext(project, dataset, index)
    const shard =
      payload instanceof Uint8Array
        ? sealEnvelope(chunkKey, context, payload)
        : sealJson(chunkKey, context, payload)
    const placement = placeShard(client, projectId, shard, storage, options.replication).then(
      ({ shardId, holders }) => {
        chunks[index] = { shardId, commitment: String(commitment), holders }
        options.onProgress?.(++placed, options.count)
      },
    )
    placing.add(placement)
    placement.then(
      () => placing.delete(placement),
      () => {},
    )
    if (placing.size >= CHUNKS_IN_FLIGHT) await Promise.race(placing)
  }
  await Promise.all(placing)
  const root = datasetRoot(chunks.map(c => BigInt(c.commitment)))
  const manifest: DatasetManifest = { dataset, ...options.shape(), dataKey, root, chunks }
  const manifestShard = await placeShard(
    client,
    projectId,
    sealJson(projectKey, manifestContext(project, dataset), manifest),
    storage,
    options.replication,
  )
  await options.ledger.commitDataset(
    projectId,
    datasetIdOf(dataset),
    root,
    chunks.length,
    manifestShard.shardId,
  )
  return {
    dataset,
    root,
    manifest: { shardId: manifestShard.shardId, holders: manifestShard.holders },
  }
}

/**
 * Stores `values` (integers below 2^32) as a committed numeric dataset of `project`.
 * @example await uploadNumericDataset({ client, ledger, projectKey, project: 'acme', dataset: 'spend', values, chunkSize: 32, storage })
 */
export function uploadNumericDataset(
  options: DatasetUpload & {
    /** A column's values, or records of `features` values each, one after another. */
    values: readonly bigint[]
    /** Entries per chunk: values, or records when `features` is set. */
    chunkSize: number
    /** Records of this many features (a `linear` job's input); a single column if absent. */
    features?: number
  },
): Promise<UploadedDataset> {
  const { chunkSize, features } = options
  const width = features ?? 1
  if (options.values.length === 0 || options.values.length % width !== 0)
    throw new RangeError(
      `a dataset of records of ${width} features needs a whole, non-zero number of records; got ${options.values.length} values`,
    )
  const perChunk = chunkSize * width
  return uploadChunks({
    ...options,
    count: Math.ceil(options.values.length / perChunk),
    shape: () => ({ chunkSize, features }),
    async chunk(index) {
      const values = options.values.slice(index * perChunk, (index + 1) * perChunk)
      const salt = randomSalt()
      return {
        payload: { values: values.map(String), salt: String(salt) },
        // over its length (values, or records of `width`) too: a proof can't claim another
        commitment: await dataChunkCommitment(values, values.length / width, salt, perChunk),
      }
    },
  })
}

/**
 * Stores signed integers encrypted under a Paillier public key, as a committed dataset a
 * `sum` job adds: the nodes that add them can't read them, only the private key's holder
 * opens the total. Encryption is the slow part (about 90 ms a value at 2048 bits); progress
 * is reported per chunk.
 * @example await uploadPaillierDataset({ client, ledger, projectKey, project: 'acme', dataset: 'bonus-alice', values: [1200n], publicKey, storage })
 */
export function uploadPaillierDataset(
  options: DatasetUpload & {
    values: readonly bigint[]
    publicKey: PaillierPublicKey
    /** Values per chunk. @default 64 */
    chunkSize?: number
  },
): Promise<UploadedDataset> {
  const { publicKey } = options
  const chunkSize = options.chunkSize ?? 64
  if (options.values.length === 0) throw new RangeError('a sum dataset needs at least one value')
  // checked up front, so a value out of range fails before anything is placed
  for (const value of options.values) encryptPaillier(publicKey, value, 1n)
  return uploadChunks({
    ...options,
    count: Math.ceil(options.values.length / chunkSize),
    shape: () => ({ chunkSize, paillier: { n: publicKey.n.toString(16) } }),
    async chunk(index) {
      const ciphertexts = options.values
        .slice(index * chunkSize, (index + 1) * chunkSize)
        .map(v => ciphertextToHex(publicKey, encryptPaillier(publicKey, v)))
      return { payload: { ciphertexts }, commitment: paillierChunkCommitment(ciphertexts) }
    },
  })
}

/**
 * Stores a table of signed decimals (records of named columns, each value given as the
 * whole number value·10^decimals, row by row) as a committed dataset: the input of
 * training and ONNX jobs. RangeError for a shape or value out of bounds, before anything
 * is placed.
 * @example await uploadTableDataset({ client, ledger, projectKey, project: 'acme', dataset: 'customers', columns: ['age', 'spend'], decimals: 2, values, storage })
 */
export function uploadTableDataset(
  options: DatasetUpload & {
    columns: readonly string[]
    decimals: number
    values: readonly bigint[]
  },
): Promise<UploadedDataset> {
  const { columns, decimals, values } = options
  const width = columns.length
  if (width === 0 || width > TABLE_MAX_COLUMNS)
    throw new RangeError(`a table has 1 to ${TABLE_MAX_COLUMNS} columns; got ${width}`)
  if (new Set(columns).size !== width)
    throw new RangeError(`column names repeat: ${columns.join(', ')}`)
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > TABLE_MAX_DECIMALS)
    throw new RangeError(`decimals must be 0 to ${TABLE_MAX_DECIMALS}; got ${decimals}`)
  if (values.length === 0 || values.length % width !== 0)
    throw new RangeError(
      `a table of ${width} columns needs a whole, non-zero number of records; got ${values.length} values`,
    )
  for (const value of values)
    if (value > TABLE_MAX_MAGNITUDE || -value > TABLE_MAX_MAGNITUDE)
      throw new RangeError(`${value} is beyond ±(2^53 - 1), the largest stored value`)
  const chunkSize = tableRecordsPerChunk(width)
  const perChunk = chunkSize * width
  return uploadChunks({
    ...options,
    count: Math.ceil(values.length / perChunk),
    shape: () => ({
      chunkSize,
      table: { columns: [...columns], decimals, records: values.length / width },
    }),
    async chunk(index) {
      const { bytes, commitment } = tableChunk(
        values.slice(index * perChunk, (index + 1) * perChunk),
      )
      return { payload: bytes, commitment }
    },
  })
}
