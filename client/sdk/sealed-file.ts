/**
 * Sealing and opening files as chunked objects (protocol/crypto/sealed-object), streamed
 * with bounded memory. The output appears only when complete: a tampered or truncated
 * input leaves no partial plaintext behind.
 * @module
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import {
  type EnvelopeKey,
  frameEnvelopes,
  type ObjectContext,
  openObject,
  sealObjectParts,
  unframeEnvelopes,
} from '../../protocol/crypto/index.ts'
import { writeStreamAtomic } from './atomic-file.ts'

export interface FileProgress {
  /** Bytes of the input consumed so far. */
  done: number
  /** Size of the input file. */
  total: number
}

export interface FileOptions {
  chunkSize?: number
  onProgress?: (progress: FileProgress) => void
  /** Replace an existing output file. @default false */
  overwrite?: boolean
}

/** The bytes of a file, 1 MiB at a time, reporting progress as they are read. */
export async function* readFileWithProgress(
  path: string,
  onProgress?: (p: FileProgress) => void,
): AsyncGenerator<Uint8Array> {
  const { size } = await stat(path)
  let done = 0
  for await (const piece of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    done += piece.length
    onProgress?.({ done, total: size })
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
  options: FileOptions = {},
): Promise<void> {
  const source = readFileWithProgress(inputPath, options.onProgress)
  const sealed = frameEnvelopes(
    sealObjectParts(key, context, source, { chunkSize: options.chunkSize }),
  )
  await writeStreamAtomic(outputPath, sealed, options)
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
  options: FileOptions = {},
): Promise<void> {
  const source = readFileWithProgress(inputPath, options.onProgress)
  await writeStreamAtomic(outputPath, openObject(key, context, unframeEnvelopes(source)), options)
}
