/**
 * Files as datasets: any bytes, in FILE_CHUNK_BYTES chunks sealed with the dataset's key and
 * placed like any chunk; each chunk committed by its SHA-256, the file by its size and
 * SHA-256 in the manifest. Reading one back checks every chunk against its commitment and
 * the whole against its size and hash, so a node can't serve other bytes unnoticed.
 * @module
 */
import { createHash } from 'node:crypto'
import type { DatasetManifest } from './job-messages.ts'
import {
  DatasetIntegrityError,
  type DatasetReadOptions,
  readDatasetManifest,
  readDatasetShards,
} from './numeric-dataset.ts'

/** A file chunk's size: the sealed-object chunk size, so a shard stays about 1 MiB. */
export const FILE_CHUNK_BYTES = 1024 * 1024

/** A file or table chunk's commitment: the SHA-256 of its plaintext (0.7 ms a MiB natively; keccak256 in JavaScript took 92). */
export function sha256ChunkCommitment(bytes: Uint8Array): bigint {
  return BigInt(`0x${createHash('sha256').update(bytes).digest('hex')}`)
}

/**
 * Reads a file dataset in order, handing each checked chunk to `write` (awaited): one
 * chunk held at a time. DatasetIntegrityError if the dataset is not a file, a chunk is not
 * what its commitment says, or the whole differs from its size or SHA-256; `write` has then
 * seen part of it, so write somewhere temporary and keep it only once this returns.
 */
export async function readFileDataset(
  options: DatasetReadOptions,
  write: (bytes: Uint8Array) => unknown,
): Promise<NonNullable<DatasetManifest['file']>> {
  const manifest = options.opened ?? (await readDatasetManifest(options))
  const { file } = manifest
  if (!file)
    throw new DatasetIntegrityError(options.dataset, 'it is not a file (download it as values)')
  const sha256 = createHash('sha256')
  let bytes = 0
  await readDatasetShards({ ...options, opened: manifest }, async (plaintext, index) => {
    if (String(sha256ChunkCommitment(plaintext)) !== manifest.chunks[index]!.commitment)
      throw new DatasetIntegrityError(options.dataset, `chunk ${index} differs from its commitment`)
    sha256.update(plaintext)
    bytes += plaintext.length
    await write(plaintext)
  })
  if (bytes !== file.bytes || sha256.digest('hex') !== file.sha256)
    throw new DatasetIntegrityError(
      options.dataset,
      "the bytes read differ from the file's size or SHA-256",
    )
  return file
}
