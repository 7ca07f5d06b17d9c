/**
 * Moving Coretex data over: decrypt a Coretex AES-256-CBC file, or re-seal it straight
 * into a Sealnet object (AES-256-GCM envelopes) without the plaintext touching disk.
 * @module
 */
import { decryptCoretexStream } from '../../protocol/compat/coretex/index.ts'
import {
  type EnvelopeKey,
  frameEnvelopes,
  type ObjectContext,
  sealObjectParts,
} from '../../protocol/crypto/index.ts'
import { writeStreamAtomic } from './atomic-file.ts'
import { type FileOptions, readFileWithProgress } from './sealed-file.ts'

/**
 * Decrypts a Coretex file into `outputPath` (written only when complete).
 * @example await decryptCoretexFile(parseCoretexProjectKey(keyText), 'data.enc', 'data.csv')
 */
export async function decryptCoretexFile(
  coretexKey: Uint8Array,
  inputPath: string,
  outputPath: string,
  options: FileOptions = {},
): Promise<void> {
  await writeStreamAtomic(
    outputPath,
    decryptCoretexStream(coretexKey, readFileWithProgress(inputPath, options.onProgress)),
    options,
  )
}

/**
 * Re-seals a Coretex file as a Sealnet object under a project key: CBC decrypted and
 * GCM sealed chunk by chunk, in memory only.
 * @example await importCoretexFile(coretexKey, 'data.enc', projectKey, { projectId, objectId: 'data.csv' }, 'data.csv.sealed')
 */
export async function importCoretexFile(
  coretexKey: Uint8Array,
  inputPath: string,
  projectKey: EnvelopeKey,
  context: ObjectContext,
  outputPath: string,
  options: FileOptions = {},
): Promise<void> {
  const plaintext = decryptCoretexStream(
    coretexKey,
    readFileWithProgress(inputPath, options.onProgress),
  )
  const sealed = frameEnvelopes(
    sealObjectParts(projectKey, context, plaintext, { chunkSize: options.chunkSize }),
  )
  await writeStreamAtomic(outputPath, sealed, options)
}
