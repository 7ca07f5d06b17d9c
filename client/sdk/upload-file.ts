/**
 * Files through the network: any file stored as a dataset of sealed 1 MiB chunks, placed
 * with replication, its root on chain (protocol/wire/file-dataset.ts); and read back
 * into a file that appears only once every byte is checked.
 * @module
 */
import { createHash } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import {
  type DatasetReadOptions,
  FILE_CHUNK_BYTES,
  readFileDataset,
  sha256ChunkCommitment,
} from '../../protocol/wire/index.ts'
import { type DatasetUpload, type UploadedDataset, uploadChunks } from './jobs/upload-dataset.ts'

/**
 * Uploads the file at `path` as dataset `options.dataset`: read a chunk at a time, so
 * memory stays at a chunk or two whatever its size. `onProgress` counts chunks.
 * @example await uploadFile({ client, ledger, projectKey, project: 'acme', dataset: 'scans.tar', path: 'scans.tar', storage })
 */
export async function uploadFile(
  options: DatasetUpload & { path: string },
): Promise<UploadedDataset & { bytes: number }> {
  const handle = await open(options.path, 'r')
  try {
    const { size } = await handle.stat()
    const sha256 = createHash('sha256')
    const uploaded = await uploadChunks({
      ...options,
      // an empty file is one empty chunk: a dataset has at least one
      count: Math.max(1, Math.ceil(size / FILE_CHUNK_BYTES)),
      async chunk(index) {
        const length = Math.min(FILE_CHUNK_BYTES, size - index * FILE_CHUNK_BYTES)
        const bytes = Buffer.alloc(length)
        const { bytesRead } = await handle.read(bytes, 0, length, index * FILE_CHUNK_BYTES)
        if (bytesRead !== length) throw new Error(`${options.path} changed while it was read`)
        sha256.update(bytes)
        return { payload: bytes, commitment: sha256ChunkCommitment(bytes) }
      },
      shape: () => ({
        chunkSize: FILE_CHUNK_BYTES,
        file: { bytes: size, sha256: sha256.digest('hex') },
      }),
    })
    return { ...uploaded, bytes: size }
  } finally {
    await handle.close()
  }
}

/**
 * Downloads a file dataset to `output`: written to `output`.partial as chunks arrive, each
 * checked against its commitment, then renamed once size and SHA-256 match; on any error
 * the partial file is removed and `output` is untouched.
 */
export async function downloadFile(
  source: DatasetReadOptions,
  output: string,
): Promise<{ bytes: number; sha256: string }> {
  const partial = `${output}.partial`
  const handle = await open(partial, 'w', 0o600)
  try {
    const file = await readFileDataset(source, async bytes => {
      await handle.write(bytes)
    })
    await handle.sync()
    await handle.close()
    await rename(partial, output)
    return file
  } catch (err) {
    await handle.close().catch(() => {})
    await rm(partial, { force: true })
    throw err
  }
}
