/**
 * The public verification record of a master key: what is registered (on the ledger,
 * later) so the key can be recognised and re-opened. It holds the public key, a random
 * challenge signed with the private key (RSASSA-PKCS1-v1_5/SHA-256), the KDF parameters
 * and the derivation version. It reveals nothing that helps guess the password beyond
 * what the public key already does.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { fromBase64, toBase64, utf8 } from './bytes.ts'
import { CHALLENGE_LENGTH, MASTER_KEY_DERIVATION_V1, MASTER_KEY_SIZES } from './constants.ts'
import { deriveMasterKey, type MasterKey, type MasterKeyParams } from './derive-master-key.ts'
import {
  MalformedRecordError,
  UnsupportedVersionError,
  WrongMasterPasswordError,
} from './errors.ts'
import {
  exportPublicKey,
  importPublicKey,
  publicKeyFingerprint,
  signMessage,
  verifySignature,
} from './rsa.ts'

export interface MasterKeyRecord {
  version: typeof MASTER_KEY_DERIVATION_V1
  identity: string
  params: MasterKeyParams
  /** Base64 SubjectPublicKeyInfo DER. */
  publicKey: string
  /** SHA-256 of the SPKI DER, hex. */
  fingerprint: string
  /** Base64 of CHALLENGE_LENGTH random bytes. */
  challenge: string
  /** Base64 RSASSA-PKCS1-v1_5/SHA-256 signature over challengeMessage(identity, challenge). */
  signature: string
}

const recordSchema = z.object({
  version: z.string(),
  identity: z.string().min(1),
  params: z.object({
    bits: z.union(MASTER_KEY_SIZES.map(size => z.literal(size))),
    kdf: z.object({
      name: z.literal('scrypt'),
      N: z.number().int(),
      r: z.number().int(),
      p: z.number().int(),
    }),
  }),
  publicKey: z.string().min(1),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  challenge: z.string().min(1),
  signature: z.string().min(1),
})

/** What the challenge signature covers: domain, identity and challenge, unambiguously encoded. */
function challengeMessage(identity: string, challenge: Uint8Array): Uint8Array {
  return Buffer.concat([utf8(`${MASTER_KEY_DERIVATION_V1}/record\0${identity}\0`), challenge])
}

/**
 * Makes the verification record of a freshly derived key.
 * @example const record = createMasterKeyRecord(await deriveMasterKey(password, identity))
 */
export function createMasterKeyRecord(key: MasterKey): MasterKeyRecord {
  const challenge = randomBytes(CHALLENGE_LENGTH)
  return {
    version: key.version,
    identity: key.identity,
    params: key.params,
    publicKey: exportPublicKey(key.publicKey),
    fingerprint: key.fingerprint,
    challenge: toBase64(challenge),
    signature: toBase64(signMessage(key.privateKey, challengeMessage(key.identity, challenge))),
  }
}

/**
 * Checks a record's shape, version, fingerprint and signature; anyone can run this
 * (it needs no password). Throws MalformedRecordError or UnsupportedVersionError.
 */
export function parseMasterKeyRecord(value: unknown): MasterKeyRecord {
  const parsed = recordSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new MalformedRecordError(
      `master key record: ${issue?.path.join('.') || 'record'}: ${issue?.message}`,
    )
  }
  const record = parsed.data
  if (record.version !== MASTER_KEY_DERIVATION_V1) {
    throw new UnsupportedVersionError(
      `master key record has derivation version "${record.version}"; this build knows "${MASTER_KEY_DERIVATION_V1}"`,
    )
  }
  let publicKey: ReturnType<typeof importPublicKey>
  try {
    publicKey = importPublicKey(record.publicKey)
  } catch (err) {
    throw new MalformedRecordError(`master key record: ${(err as Error).message}`)
  }
  if (publicKeyFingerprint(publicKey) !== record.fingerprint) {
    throw new MalformedRecordError('master key record: fingerprint does not match the public key')
  }
  const challenge = fromBase64(record.challenge, 'challenge')
  const message = challengeMessage(record.identity, challenge)
  if (!verifySignature(publicKey, message, fromBase64(record.signature, 'signature'))) {
    throw new MalformedRecordError('master key record: the challenge signature does not verify')
  }
  return record as MasterKeyRecord
}

/**
 * Re-derives the master key of a record from its password. Throws
 * WrongMasterPasswordError when the password (or identity) does not give the recorded
 * key; it reads and writes nothing else.
 * @example const key = await openMasterKey(password, record)
 */
export async function openMasterKey(password: string, record: unknown): Promise<MasterKey> {
  const checked = parseMasterKeyRecord(record)
  const key = await deriveMasterKey(password, checked.identity, checked.params)
  if (key.fingerprint !== checked.fingerprint) throw new WrongMasterPasswordError()
  return key
}
