/**
 * RSA operations on node:crypto key objects: fingerprints, RSASSA-PKCS1-v1_5/SHA-256
 * signatures (RFC 8017 §8.2) and RSA-OAEP/SHA-256 key wrapping (RFC 8017 §7.1) with a
 * label that binds each wrapped key to its purpose.
 * @module
 */
import {
  constants,
  createHash,
  createPublicKey,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  sign,
  verify,
} from 'node:crypto'
import { assertBytes } from './bytes.ts'
import { InvalidInputError, UnwrapError } from './errors.ts'

/** Smallest RSA modulus Sealnet accepts from anyone (NIST SP 800-57: 112-bit security). */
export const MIN_RSA_BITS = 2048

/**
 * SHA-256 of the SubjectPublicKeyInfo DER, as hex: the identity of a key pair. Takes
 * either half of the pair.
 * @example publicKeyFingerprint(key.publicKey) // 'a3f1…' (64 hex chars)
 */
export function publicKeyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
}

/** Base64 of the SubjectPublicKeyInfo DER: the portable form of a public key. */
export function exportPublicKey(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
}

/**
 * Parses a base64 SPKI public key; refuses anything that is not RSA of at least 2048 bits.
 * @example importPublicKey(record.publicKey)
 */
export function importPublicKey(spkiBase64: string): KeyObject {
  let key: KeyObject
  try {
    key = createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' })
  } catch {
    throw new InvalidInputError('public key is not a base64 SubjectPublicKeyInfo')
  }
  if (key.asymmetricKeyType !== 'rsa') throw new InvalidInputError('public key is not an RSA key')
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < MIN_RSA_BITS) {
    throw new InvalidInputError(
      `RSA public key has ${bits} bits; at least ${MIN_RSA_BITS} are required`,
    )
  }
  return key
}

/** RSASSA-PKCS1-v1_5 with SHA-256. */
export function signMessage(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  assertBytes(message, undefined, 'message')
  return sign('sha256', message, { key: privateKey, padding: constants.RSA_PKCS1_PADDING })
}

/** Verifies an RSASSA-PKCS1-v1_5/SHA-256 signature; false for any mismatch, never throws on bad bytes. */
export function verifySignature(
  publicKey: KeyObject,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return verify(
      'sha256',
      message,
      { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
      signature,
    )
  } catch {
    return false
  }
}

/**
 * RSA-OAEP (SHA-256, MGF1-SHA-256) encryption of a short secret, with `label` bound in:
 * unwrapping with any other label fails.
 * @example wrapKey(teammatePublicKey, projectKey, utf8('sealnet/project-key/v1|…'))
 */
export function wrapKey(publicKey: KeyObject, secret: Uint8Array, label: Uint8Array): Uint8Array {
  assertBytes(secret, undefined, 'secret')
  return publicEncrypt(
    {
      key: publicKey,
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
      oaepLabel: label,
    },
    secret,
  )
}

/** Inverse of wrapKey; throws UnwrapError for a wrong key, wrong label or altered bytes. */
export function unwrapKey(
  privateKey: KeyObject,
  wrapped: Uint8Array,
  label: Uint8Array,
): Uint8Array {
  assertBytes(wrapped, undefined, 'wrapped')
  try {
    return privateDecrypt(
      {
        key: privateKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
        oaepLabel: label,
      },
      wrapped,
    )
  } catch {
    throw new UnwrapError()
  }
}
