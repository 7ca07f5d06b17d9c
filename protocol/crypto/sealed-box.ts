/**
 * Sealed box: hybrid public-key encryption for payloads larger than RSA-OAEP takes
 * (secrets, job results). A fresh AES-256 key is wrapped with RSA-OAEP to the recipient
 * and the payload goes in an envelope under that key.
 *
 *   "SBOX" | version u8 | wrapped length u16 BE | wrapped key | envelope
 *
 * `purpose` is bound into both the OAEP label and the envelope context, so a box made
 * for one purpose (a given secret, a given job) can't be passed off as another.
 * @module
 */
import { createHash, type KeyObject, randomBytes } from 'node:crypto'
import { assertBytes, assertString, utf8 } from './bytes.ts'
import { AES_KEY_LENGTH, KEY_ID_LENGTH, SEALED_BOX_MAGIC, SEALED_BOX_VERSION } from './constants.ts'
import { type EnvelopeKey, openEnvelope, sealEnvelope } from './envelope.ts'
import { EnvelopeFormatError } from './errors.ts'
import { unwrapKey, wrapKey } from './rsa.ts'

const PREFIX_LENGTH = SEALED_BOX_MAGIC.length + 1 + 2

function boxLabel(purpose: string): Uint8Array {
  return utf8(`sealnet/sealed-box/v1\0${purpose}`)
}

function boxKey(contentKey: Uint8Array, purpose: string): EnvelopeKey {
  const id = createHash('sha256').update(boxLabel(purpose)).digest().subarray(0, KEY_ID_LENGTH)
  return { id, version: 0, key: contentKey }
}

/**
 * Seals `plaintext` so only the holder of `recipient`'s private key can open it.
 * @example const box = sealToPublicKey(alicePublicKey, resultBytes, `job-result\0${jobId}`)
 */
export function sealToPublicKey(
  recipient: KeyObject,
  plaintext: Uint8Array,
  purpose: string,
): Uint8Array {
  assertBytes(plaintext, undefined, 'plaintext')
  assertString(purpose, 'purpose')
  const contentKey = randomBytes(AES_KEY_LENGTH)
  try {
    const wrapped = wrapKey(recipient, contentKey, boxLabel(purpose))
    const envelope = sealEnvelope(
      boxKey(contentKey, purpose),
      { projectId: 'sealed-box', objectId: purpose, chunkIndex: 0 },
      plaintext,
    )
    const out = Buffer.allocUnsafe(PREFIX_LENGTH + wrapped.length + envelope.length)
    out.set(SEALED_BOX_MAGIC, 0)
    out[4] = SEALED_BOX_VERSION
    out.writeUInt16BE(wrapped.length, 5)
    out.set(wrapped, PREFIX_LENGTH)
    out.set(envelope, PREFIX_LENGTH + wrapped.length)
    return out
  } finally {
    contentKey.fill(0)
  }
}

/**
 * Opens a sealed box. Throws EnvelopeFormatError for bytes that are not a box,
 * UnwrapError when it was not sealed to this key or for this purpose, EnvelopeAuthError
 * when its payload was altered.
 */
export function openSealedBox(privateKey: KeyObject, box: Uint8Array, purpose: string): Uint8Array {
  assertBytes(box, undefined, 'box')
  assertString(purpose, 'purpose')
  if (box.length < PREFIX_LENGTH || !SEALED_BOX_MAGIC.every((b, i) => box[i] === b)) {
    throw new EnvelopeFormatError('not a Sealnet sealed box (bad magic)')
  }
  if (box[4] !== SEALED_BOX_VERSION)
    throw new EnvelopeFormatError(`sealed box version ${box[4]} is not supported`)
  const wrappedLength = (box[5]! << 8) | box[6]!
  if (box.length < PREFIX_LENGTH + wrappedLength)
    throw new EnvelopeFormatError('sealed box is truncated')
  const wrapped = box.subarray(PREFIX_LENGTH, PREFIX_LENGTH + wrappedLength)
  const contentKey = unwrapKey(privateKey, wrapped, boxLabel(purpose))
  try {
    const context = { projectId: 'sealed-box', objectId: purpose, chunkIndex: 0 }
    return openEnvelope(
      boxKey(contentKey, purpose),
      context,
      box.subarray(PREFIX_LENGTH + wrappedLength),
    ).plaintext
  } finally {
    contentKey.fill(0)
  }
}
