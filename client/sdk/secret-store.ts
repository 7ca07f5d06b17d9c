/**
 * A user's secrets of a project (credentials, AWS, Git, generic), each sealed to the
 * user's own public key, one file per secret under a folder: safe on disk, opened only
 * with the master key. Sharing re-seals: to a node over `/sealnet/key/1` (it keeps the
 * secret in its vault for jobs), or to a teammate as a file sealed to their key.
 * @module
 */

import type { KeyObject } from 'node:crypto'
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  importPublicKey,
  MalformedRecordError,
  openSecret,
  SECRET_TYPES,
  type SealedSecret,
  type SecretType,
  sealToPublicKey,
  utf8,
} from '../../protocol/crypto/index.ts'
import type { Ledger } from '../../protocol/ledger/index.ts'
import { SealnetError } from '../../protocol/sealnet-error.ts'
import { type PeerClient, secretPurpose } from '../../protocol/wire/index.ts'
import { writeFileAtomic } from './atomic-file.ts'
import { requireNode } from './authorize-node.ts'

export class UnknownSecretError extends SealnetError {
  readonly code = 'unknown-secret'
  constructor(project: string, name: string) {
    super(`project "${project}" has no secret "${name}" here ("sealnet secret list ${project}")`)
  }
}

/** Checks the shape of a sealed secret read from a file; MalformedRecordError if it is not one. */
export function parseSealedSecret(value: unknown): SealedSecret {
  const v = (value ?? {}) as Partial<Record<keyof SealedSecret, unknown>>
  if (
    v.format !== 'sealnet-secret-v1' ||
    !SECRET_TYPES.includes(v.type as SecretType) ||
    typeof v.name !== 'string' ||
    typeof v.recipient !== 'string' ||
    typeof v.box !== 'string'
  )
    throw new MalformedRecordError('not a sealnet-secret-v1 sealed secret')
  return {
    format: v.format,
    type: v.type as SecretType,
    name: v.name,
    recipient: v.recipient,
    box: v.box,
  }
}

export class SecretStore {
  readonly folder: string

  constructor(folder: string) {
    this.folder = folder
  }

  #dir(project: string): string {
    return join(this.folder, Buffer.from(project, 'utf8').toString('hex'))
  }

  async save(project: string, sealed: SealedSecret): Promise<void> {
    await mkdir(this.#dir(project), { recursive: true, mode: 0o700 })
    await writeFileAtomic(
      join(this.#dir(project), `${sealed.name}.json`),
      `${JSON.stringify(sealed, null, 2)}\n`,
    )
  }

  async load(project: string, name: string): Promise<SealedSecret> {
    const text = await readFile(join(this.#dir(project), `${name}.json`), 'utf8').catch(err => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new UnknownSecretError(project, name)
      throw err
    })
    return parseSealedSecret(JSON.parse(text))
  }

  /** Name and type of every secret kept for the project (no secret is opened). */
  async list(project: string): Promise<Array<{ name: string; type: SecretType }>> {
    const files = await readdir(this.#dir(project)).catch(() => [] as string[])
    const out = []
    for (const file of files.filter(f => f.endsWith('.json')).sort()) {
      const sealed = await this.load(project, file.slice(0, -5))
      out.push({ name: sealed.name, type: sealed.type })
    }
    return out
  }
}

/**
 * Gives a project's node a secret for its jobs: opened with the owner's key, sealed to the
 * node's registered key for this project and name, delivered over `/sealnet/key/1` (the
 * node keeps it only from a project admin, and only while it holds a grant).
 */
export async function deliverSecretToNode(options: {
  client: PeerClient
  ledger: Ledger
  project: string
  sealed: SealedSecret
  privateKey: KeyObject
  node: string
}): Promise<{ peerId: string }> {
  const registered = await requireNode(options.ledger, options.node)
  const secret = openSecret(options.sealed, options.privateKey)
  const payload = utf8(JSON.stringify(secret))
  try {
    const box = sealToPublicKey(
      importPublicKey(registered.publicKey),
      payload,
      secretPurpose(options.project, secret.name),
    )
    await options.client.deliverSecret(registered.peerId, options.project, secret.name, box)
  } finally {
    payload.fill(0)
  }
  return { peerId: registered.peerId }
}
