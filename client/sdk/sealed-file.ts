/**
 * Sealing and opening files as chunked objects (protocol/crypto/sealed-object), streamed
 * with bounded memory. The output appears only when complete: a tampered or truncated
 * input leaves no partial plaintext behind.
 * @module
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  type EnvelopeKey,
  frameEnvelopes,
  type ObjectContext,
  openObject,
  sealObjectParts,
  unframeEnvelopes,
} from '../../protocol/crypto/index.ts'
import { withAtomicOutput } from './atomic-file.ts'
import { OutputExistsError } from './errors.ts'

export interface FileProgress {
  /** Bytes of the input consumed so far. */
  done: number
  /** Size of the input file. */
  total: number
}

export interface SealedFileOptions {
  chunkSize?: number
  onProgress?: (progress: FileProgress) => void
  /** Replace an existing output file. @default false */
  overwrite?: boolean
}

async function assertWritable(path: string, overwrite: boolean | undefined): Promise<void> {
  if (overwrite) return
  const exists = await access(path).then(
    () => true,
    () => false,
  )
  if (exists) throw new OutputExistsError(path)
}

async function* counted(
  source: AsyncIterable<Uint8Array>,
  total: number,
  onProgress?: (p: FileProgress) => void,
) {
  let done = 0
  for await (const piece of source) {
    done += piece.length
    onProgress?.({ done, total })
    yield piece
  }
}

/**
 * Seals `inputPath` into `outputPath` (framed envelopes).
 * @example await sealFile(projectKey, { projectId, objectId: 'q3.csv' }, 'q3.csv', 'q3.csv.sealed')
 */
export async function sealFile(
  key: EnvelopeKey,
  context: ObjectContext,
  inputPath: string,
  outputPath: string,
  options: SealedFileOptions = {},
): Promise<void> {
  await assertWritable(outputPath, options.overwrite)
  const { size } = await stat(inputPath)
  const source = counted(
    createReadStream(inputPath, { highWaterMark: 1024 * 1024 }),
    size,
    options.onProgress,
  )
  const sealed = frameEnvelopes(
    sealObjectParts(key, context, source, { chunkSize: options.chunkSize }),
  )
  await withAtomicOutput(outputPath, temporary =>
    pipeline(Readable.from(sealed), createWriteStream(temporary, { flags: 'wx', mode: 0o600 })),
  )
}

/**
 * Opens a sealed file into `outputPath`. Throws the typed error of the first problem
 * (EnvelopeAuthError, TruncatedObjectError, EnvelopeFormatError) and then no output exists.
 */
export async function openFile(
  key: EnvelopeKey,
  context: ObjectContext,
  inputPath: string,
  outputPath: string,
  options: SealedFileOptions = {},
): Promise<void> {
  await assertWritable(outputPath, options.overwrite)
  const { size } = await stat(inputPath)
  const source = counted(
    createReadStream(inputPath, { highWaterMark: 1024 * 1024 }),
    size,
    options.onProgress,
  )
  const plaintext = openObject(key, context, unframeEnvelopes(source))
  await withAtomicOutput(outputPath, temporary =>
    pipeline(Readable.from(plaintext), createWriteStream(temporary, { flags: 'wx', mode: 0o600 })),
  )
}
