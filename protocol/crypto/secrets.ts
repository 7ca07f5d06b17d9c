/**
 * Typed secrets (credentials, AWS, Git, generic, a Paillier private key), validated before sealing and after
 * opening, sealed to a public key in a sealed box. The type and name stay readable (so
 * a list can be shown without keys) and are bound into the box's purpose, so they can't
 * be swapped between secrets.
 * @module
 */
import type { KeyObject } from 'node:crypto'
import { z } from 'zod'
import { fromBase64, toBase64, utf8 } from './bytes.ts'
import { InvalidSecretError, MalformedRecordError } from './errors.ts'
import { publicKeyFingerprint } from './rsa.ts'
import { openSealedBox, sealToPublicKey } from './sealed-box.ts'

const nonEmpty = z.string().min(1, 'must not be empty')

export const SECRET_SCHEMAS = {
  credentials: z.strictObject({ username: nonEmpty, password: nonEmpty }),
  aws: z.strictObject({
    // AWS: access key ids are 16–128 upper-case alphanumerics, secret keys 40 base64 characters
    accessKeyId: z
      .string()
      .regex(/^[A-Z0-9]{16,128}$/, 'must be 16 to 128 upper-case letters and digits'),
    secretAccessKey: z.string().regex(/^[A-Za-z0-9/+=]{40}$/, 'must be 40 base64 characters'),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must look like eu-west-1')
      .optional(),
    sessionToken: nonEmpty.optional(),
  }),
  git: z.strictObject({
    url: z
      .string()
      .regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, 'must be an https://, ssh:// or git@ URL'),
    username: nonEmpty.optional(),
    token: nonEmpty,
  }),
  /** a Paillier private key for `sum` jobs, as paillier.ts encodes it (hex) */
  paillier: z.strictObject({
    n: z.string().regex(/^[0-9a-f]{1,4096}$/, 'must be lower-case hex'),
    lambda: z.string().regex(/^[0-9a-f]{1,4096}$/, 'must be lower-case hex'),
    mu: z.string().regex(/^[0-9a-f]{1,4096}$/, 'must be lower-case hex'),
  }),
  generic: z
    .record(z.string().min(1, 'keys must not be empty'), z.string())
    .refine(fields => Object.keys(fields).length > 0, 'must have at least one field'),
} as const

export type SecretType = keyof typeof SECRET_SCHEMAS
export const SECRET_TYPES = Object.keys(SECRET_SCHEMAS) as SecretType[]

export type SecretData = { [T in SecretType]: z.infer<(typeof SECRET_SCHEMAS)[T]> }

export type Secret = {
  [T in SecretType]: { type: T; name: string; data: SecretData[T] }
}[SecretType]

/** A sealed secret as stored or sent: metadata readable, payload sealed to `recipient`. */
export interface SealedSecret {
  format: 'sealnet-secret-v1'
  type: SecretType
  name: string
  /** Fingerprint of the public key it is sealed to. */
  recipient: string
  /** Base64 sealed box of the JSON payload. */
  box: string
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/**
 * Checks a secret against its type's schema. Throws InvalidSecretError naming the
 * first field that is wrong.
 * @example validateSecret({ type: 'git', name: 'deploy', data: { url: 'https://…', token: '…' } })
 */
export function validateSecret(input: unknown): Secret {
  const candidate = (input ?? {}) as { type?: unknown; name?: unknown; data?: unknown }
  if (typeof candidate.type !== 'string' || !SECRET_TYPES.includes(candidate.type as SecretType)) {
    throw new InvalidSecretError('type', `must be one of ${SECRET_TYPES.join(', ')}`)
  }
  if (typeof candidate.name !== 'string' || !NAME_PATTERN.test(candidate.name)) {
    throw new InvalidSecretError(
      'name',
      'must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    )
  }
  const type = candidate.type as SecretType
  // zod skips a "__proto__" key, so such a field would vanish without a word: refuse it
  if (
    typeof candidate.data === 'object' &&
    candidate.data !== null &&
    Object.hasOwn(candidate.data, '__proto__')
  ) {
    throw new InvalidSecretError('data.__proto__', 'a field may not be named "__proto__"')
  }
  const parsed = SECRET_SCHEMAS[type].safeParse(candidate.data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = ['data', ...issue.path.map(String)].join('.')
    throw new InvalidSecretError(field, issue.message)
  }
  return { type, name: candidate.name, data: parsed.data } as Secret
}

function purpose(type: string, name: string): string {
  return `secret\0${type}\0${name}`
}

/**
 * Validates and seals a secret to a recipient's public key.
 * @example const sealed = sealSecret({ type: 'credentials', name: 'db', data: { username, password } }, me.publicKey)
 */
export function sealSecret(secret: unknown, recipient: KeyObject): SealedSecret {
  const valid = validateSecret(secret)
  const payload = utf8(JSON.stringify(valid.data))
  try {
    return {
      format: 'sealnet-secret-v1',
      type: valid.type,
      name: valid.name,
      recipient: publicKeyFingerprint(recipient),
      box: toBase64(sealToPublicKey(recipient, payload, purpose(valid.type, valid.name))),
    }
  } finally {
    payload.fill(0)
  }
}

/** Opens a sealed secret with the recipient's private key and validates what it holds. */
export function openSecret(sealed: SealedSecret, privateKey: KeyObject): Secret {
  if (sealed?.format !== 'sealnet-secret-v1')
    throw new MalformedRecordError('not a sealnet-secret-v1 sealed secret')
  const payload = openSealedBox(
    privateKey,
    fromBase64(sealed.box, 'box'),
    purpose(sealed.type, sealed.name),
  )
  let data: unknown
  try {
    data = JSON.parse(Buffer.from(payload).toString('utf8'))
  } finally {
    payload.fill(0)
  }
  return validateSecret({ type: sealed.type, name: sealed.name, data })
}

/** Re-seals a secret to a teammate: open with one's own key, seal to theirs. */
export function shareSecret(
  sealed: SealedSecret,
  ownPrivateKey: KeyObject,
  grantee: KeyObject,
): SealedSecret {
  return sealSecret(openSecret(sealed, ownPrivateKey), grantee)
}
