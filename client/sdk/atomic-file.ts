/**
 * Write-then-rename, so a reader (or a crash) never sees half a file: the temporary file
 * sits in the same folder (same file system, so rename is atomic) and is removed on failure.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export function temporaryPathFor(path: string): string {
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
