/**
 * Project keys: one random AES-256 key per project and key version, stored only wrapped
 * (RSA-OAEP/SHA-256) to each member's or authorized node's public key. The OAEP label
 * binds project id, key version and key id, so a wrapped key can't be replayed as the
 * key of another project or version.
 * @module
 */
import { createHash, type KeyObject, randomBytes } from 'node:crypto'
import { assertString, fromBase64, toBase64, toHex, utf8 } from './bytes.ts'
import { AES_KEY_LENGTH, KEY_ID_LENGTH } from './constants.ts'
import type { EnvelopeKey } from './envelope.ts'
import { InvalidInputError, UnwrapError } from './errors.ts'
import { publicKeyFingerprint, unwrapKey, wrapKey } from './rsa.ts'

export interface ProjectKey extends EnvelopeKey {
  projectId: string
}

/** A project key wrapped for one recipient: safe to store and send. */
export interface WrappedProjectKey {
  projectId: string
  version: number
  /** Hex of the key id. */
  keyId: string
  /** Fingerprint of the recipient's public key. */
  recipient: string
  /** Base64 RSA-OAEP ciphertext of the 32 key bytes. */
  wrapped: string
}

function label(projectId: string, version: number, keyIdHex: string): Uint8Array {
  return utf8(`sealnet/project-key/v1\0${projectId}\0${version}\0${keyIdHex}`)
}

/**
 * A fresh project key (version 1) with a random key id.
 * @example const key = createProjectKey('acme-churn')
 */
export function createProjectKey(projectId: string): ProjectKey {
  assertString(projectId, 'projectId')
  return { projectId, version: 1, id: randomBytes(KEY_ID_LENGTH), key: randomBytes(AES_KEY_LENGTH) }
}

/** The next version of a project key: same project and key id, new random key bytes. */
export function rotateProjectKey(current: ProjectKey): ProjectKey {
  return {
    projectId: current.projectId,
    version: current.version + 1,
    id: current.id,
    key: randomBytes(AES_KEY_LENGTH),
  }
}

/**
 * Wraps a project key to a recipient's public key.
 * @example const grant = wrapProjectKey(projectKey, teammatePublicKey)
 */
export function wrapProjectKey(projectKey: ProjectKey, recipient: KeyObject): WrappedProjectKey {
  const keyId = toHex(projectKey.id)
  return {
    projectId: projectKey.projectId,
    version: projectKey.version,
    keyId,
    recipient: publicKeyFingerprint(recipient),
    wrapped: toBase64(
      wrapKey(recipient, projectKey.key, label(projectKey.projectId, projectKey.version, keyId)),
    ),
  }
}

/** Unwraps a project key with the recipient's private key; UnwrapError if it is not theirs or altered. */
export function unwrapProjectKey(wrapped: WrappedProjectKey, privateKey: KeyObject): ProjectKey {
  if (!/^[0-9a-f]{32}$/.test(wrapped.keyId))
    throw new InvalidInputError('wrapped project key has a malformed keyId')
  const own = publicKeyFingerprint(privateKey)
  if (own !== wrapped.recipient) {
    throw new UnwrapError(
      `this project key was wrapped for key ${wrapped.recipient.slice(0, 16)}…, not for ${own.slice(0, 16)}…`,
    )
  }
  const key = unwrapKey(
    privateKey,
    fromBase64(wrapped.wrapped, 'wrapped'),
    label(wrapped.projectId, wrapped.version, wrapped.keyId),
  )
  if (key.length !== AES_KEY_LENGTH)
    throw new UnwrapError('unwrapped project key has the wrong length')
  return {
    projectId: wrapped.projectId,
    version: wrapped.version,
    id: Buffer.from(wrapped.keyId, 'hex'),
    key,
  }
}

/**
 * Sharing and authorizing: unwrap with one's own private key, wrap again to the
 * grantee's public key. The plain key exists only inside this call.
 * @example const grant = rewrapProjectKey(myWrappedKey, me.privateKey, nodePublicKey)
 */
export function rewrapProjectKey(
  wrapped: WrappedProjectKey,
  ownPrivateKey: KeyObject,
  grantee: KeyObject,
): WrappedProjectKey {
  const projectKey = unwrapProjectKey(wrapped, ownPrivateKey)
  try {
    return wrapProjectKey(projectKey, grantee)
  } finally {
    projectKey.key.fill(0)
  }
}

/**
 * The canonical bytes of a wrapped key (UTF-8 JSON, fixed field order): what a grant's
 * hash covers, and what a project's nodes hold for a teammate to fetch by that hash.
 */
export function wrappedKeyBytes(wrapped: WrappedProjectKey): Uint8Array {
  const { projectId, version, keyId, recipient } = wrapped
  return utf8(JSON.stringify({ projectId, version, keyId, recipient, wrapped: wrapped.wrapped }))
}

/** Parses wrappedKeyBytes back; InvalidInputError if they are not a wrapped key. */
export function parseWrappedKeyBytes(bytes: Uint8Array): WrappedProjectKey {
  let value: Partial<Record<keyof WrappedProjectKey, unknown>>
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    throw new InvalidInputError('wrapped project key is not JSON')
  }
  const { projectId, version, keyId, recipient, wrapped } = value ?? {}
  if (
    typeof projectId !== 'string' ||
    !Number.isSafeInteger(version) ||
    typeof keyId !== 'string' ||
    typeof recipient !== 'string' ||
    typeof wrapped !== 'string'
  )
    throw new InvalidInputError(
      'wrapped project key lacks projectId, version, keyId, recipient or wrapped',
    )
  return { projectId, version: version as number, keyId, recipient, wrapped }
}

/**
 * SHA-256 of wrappedKeyBytes, hex: what the ledger records for a grant (never the key). It
 * binds the ciphertext to its project, version, key id and recipient.
 */
export function wrappedKeyDigest(wrapped: WrappedProjectKey): string {
  return createHash('sha256').update(wrappedKeyBytes(wrapped)).digest('hex')
}

/**
 * Project keys by version, each loaded once on first use: for reading data that spans key
 * rotations, where each envelope's header names its version. release() zeroes them all.
 * @example const keys = projectKeysByVersion(v => vault.projectKey(p, v)); try { … } finally { keys.release() }
 */
export function projectKeysByVersion(load: (version: number) => Promise<ProjectKey>): {
  keyFor(version: number): Promise<ProjectKey>
  release(): void
} {
  const keys = new Map<number, ProjectKey>()
  return {
    keyFor: async version => {
      if (!keys.has(version)) keys.set(version, await load(version))
      return keys.get(version)!
    },
    release: () => {
      for (const key of keys.values()) key.key.fill(0)
    },
  }
}
