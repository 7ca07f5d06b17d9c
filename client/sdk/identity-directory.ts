/**
 * Where public master-key records are registered and looked up. The ledger issue puts
 * this on chain; until then a folder of JSON files (one per identity) serves, behind
 * the same interface.
 * @module
 */
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type MasterKeyRecord, parseMasterKeyRecord } from '../../protocol/crypto/index.ts'
import { writeFileAtomic } from './atomic-file.ts'
import { IdentityExistsError, UnknownIdentityError } from './errors.ts'

export interface IdentityDirectory {
  /** Registers a record; the same key again is a no-op, another key for the identity is refused. */
  register(record: MasterKeyRecord): Promise<void>
  /** The verified record of an identity, or undefined. */
  lookup(identity: string): Promise<MasterKeyRecord | undefined>
}

/** Looks an identity up and throws UnknownIdentityError when it has no registered key. */
export async function requireIdentity(
  directory: IdentityDirectory,
  identity: string,
): Promise<MasterKeyRecord> {
  const record = await directory.lookup(identity)
  if (record === undefined) throw new UnknownIdentityError(identity)
  return record
}

/** File names are the hex of the identity, so any identity string is a safe file name. */
function fileFor(root: string, identity: string): string {
  return join(root, `${Buffer.from(identity, 'utf8').toString('hex')}.json`)
}

export class FileIdentityDirectory implements IdentityDirectory {
  readonly root: string

  constructor(root: string) {
    this.root = root
  }

  async register(record: MasterKeyRecord): Promise<void> {
    const checked = parseMasterKeyRecord(record)
    const existing = await this.lookup(checked.identity)
    if (existing !== undefined) {
      if (existing.fingerprint === checked.fingerprint) return
      throw new IdentityExistsError(checked.identity)
    }
    await mkdir(this.root, { recursive: true })
    await writeFileAtomic(
      fileFor(this.root, checked.identity),
      `${JSON.stringify(checked, null, 2)}\n`,
    )
  }

  async lookup(identity: string): Promise<MasterKeyRecord | undefined> {
    let text: string
    try {
      text = await readFile(fileFor(this.root, identity), 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
    // records are checked on every read: a directory is not trusted to be untampered
    return parseMasterKeyRecord(JSON.parse(text))
  }
}
