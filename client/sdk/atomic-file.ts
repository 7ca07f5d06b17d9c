/**
 * Write-then-rename, so a reader (or a crash) never sees half a file: the temporary file
 * sits in the same folder (same file system, so rename is atomic) and is removed on failure.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { access, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { OutputExistsError } from './errors.ts'

/** Whether anything exists at `path`. */
export function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/** Throws OutputExistsError if `path` exists: an output never replaces a file silently. */
export async function refuseExisting(path: string): Promise<void> {
  if (await pathExists(path)) throw new OutputExistsError(path)
}

function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`)
}

/** Runs `write` against a temporary path, then renames it onto `path`; on any error the temporary file is removed. */
export async function withAtomicOutput<T>(
  path: string,
  write: (temporaryPath: string) => Promise<T>,
): Promise<T> {
  const temporary = temporaryPathFor(path)
  try {
    const result = await write(temporary)
    await rename(temporary, path)
    return result
  } catch (err) {
    await rm(temporary, { force: true })
    throw err
  }
}

/** Writes a whole file atomically and flushes it to disk before the rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  return withAtomicOutput(path, async temporary => {
    const handle = await open(temporary, 'wx', 0o600)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
  })
}

/**
 * Streams `source` into `path` atomically: refuses an existing file unless `overwrite`,
 * and leaves nothing behind if the source throws (a tampered or truncated input).
 */
export async function writeStreamAtomic(
  path: string,
  source: AsyncIterable<Uint8Array>,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  if (!options.overwrite) await refuseExisting(path)
  await withAtomicOutput(path, temporary =>
    pipeline(Readable.from(source), createWriteStream(temporary, { flags: 'wx', mode: 0o600 })),
  )
}
