/**
 * The Sealnet envelope: one AES-256-GCM message (NIST SP 800-38D) with a versioned
 * binary header and a context bound in as associated data.
 *
 *   offset  size  field
 *   0       4     magic "SEAL"
 *   4       1     format version (1)
 *   5       1     algorithm (1 = AES-256-GCM)
 *   6       1     flags (bit 0: final chunk of its object)
 *   7       1     reserved, 0
 *   8       16    key id
 *   24      4     key version, u32 big-endian
 *   28      12    nonce, random per message
 *   40      n     ciphertext
 *   40+n    16    GCM tag
 *
 * Associated data = the 40 header bytes ‖ encodeParts(projectId, objectId, chunkIndex as
 * u64 BE). So a chunk opens only under the project, object and position it was sealed
 * for, and the header (including the final flag) can't be edited.
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { assertBytes, encodeParts, utf8 } from './bytes.ts'
import {
  AES_KEY_LENGTH,
  ENVELOPE_ALG_AES_256_GCM,
  ENVELOPE_FLAG_FINAL,
  ENVELOPE_HEADER_LENGTH,
  ENVELOPE_MAGIC,
  ENVELOPE_NONCE_LENGTH,
  ENVELOPE_TAG_LENGTH,
  ENVELOPE_VERSION,
  KEY_ID_LENGTH,
} from './constants.ts'
import { EnvelopeAuthError, EnvelopeFormatError, InvalidInputError } from './errors.ts'

/** A symmetric key with its identity: which key, which version. */
export interface EnvelopeKey {
  /** KEY_ID_LENGTH bytes naming the key (a project key's id). */
  id: Uint8Array
  /** Key version, raised on every rotation. */
  version: number
  /** AES_KEY_LENGTH secret bytes. */
  key: Uint8Array
}

/** Where a chunk belongs. Opening with any other context fails. */
export interface EnvelopeContext {
  projectId: string
  objectId: string
  chunkIndex: number
}

export interface EnvelopeHeader {
  version: number
  algorithm: number
  final: boolean
  keyId: Uint8Array
  keyVersion: number
  nonce: Uint8Array
}

function assertKey(key: EnvelopeKey): void {
  assertBytes(key.id, KEY_ID_LENGTH, 'key id')
  assertBytes(key.key, AES_KEY_LENGTH, 'key')
  if (!Number.isInteger(key.version) || key.version < 0 || key.version > 0xffffffff) {
    throw new InvalidInputError('key version must be an integer from 0 to 2^32-1')
  }
}

function associatedData(header: Uint8Array, context: EnvelopeContext): Uint8Array {
  const { chunkIndex } = context
  if (!Number.isSafeInteger(chunkIndex) || chunkIndex < 0) {
    throw new InvalidInputError('chunkIndex must be a non-negative integer')
  }
  const index = new Uint8Array(8)
  new DataView(index.buffer).setBigUint64(0, BigInt(chunkIndex))
  return Buffer.concat([
    header,
    encodeParts([utf8(context.projectId), utf8(context.objectId), index]),
  ])
}

/**
 * Reads an envelope's header without decrypting. Throws EnvelopeFormatError when the
 * bytes are not an envelope of a version and algorithm this code knows.
 */
export function readEnvelopeHeader(envelope: Uint8Array): EnvelopeHeader {
  assertBytes(envelope, undefined, 'envelope')
  if (envelope.length < ENVELOPE_HEADER_LENGTH + ENVELOPE_TAG_LENGTH) {
    throw new EnvelopeFormatError(
      `envelope is ${envelope.length} bytes; the smallest is ${ENVELOPE_HEADER_LENGTH + ENVELOPE_TAG_LENGTH}`,
    )
  }
  for (let i = 0; i < ENVELOPE_MAGIC.length; i++) {
    if (envelope[i] !== ENVELOPE_MAGIC[i])
      throw new EnvelopeFormatError('not a Sealnet envelope (bad magic)')
  }
  const view = new DataView(envelope.buffer, envelope.byteOffset, ENVELOPE_HEADER_LENGTH)
  const version = view.getUint8(4)
  if (version !== ENVELOPE_VERSION)
    throw new EnvelopeFormatError(`envelope format version ${version} is not supported`)
  const algorithm = view.getUint8(5)
  if (algorithm !== ENVELOPE_ALG_AES_256_GCM)
    throw new EnvelopeFormatError(`envelope algorithm ${algorithm} is not supported`)
  const flags = view.getUint8(6)
  if ((flags & ~ENVELOPE_FLAG_FINAL) !== 0 || view.getUint8(7) !== 0) {
    throw new EnvelopeFormatError('envelope has unknown flags or a non-zero reserved byte')
  }
  return {
    version,
    algorithm,
    final: (flags & ENVELOPE_FLAG_FINAL) !== 0,
    keyId: envelope.subarray(8, 24),
    keyVersion: view.getUint32(24),
    nonce: envelope.subarray(28, 40),
  }
}

/** An envelope as its three consecutive pieces; joined, they are exactly sealEnvelope's bytes. */
export type EnvelopeParts = readonly [header: Uint8Array, body: Uint8Array, tag: Uint8Array]

/**
 * Seals one chunk and returns the envelope in pieces, without joining them: writers
 * (files, sockets) send the pieces one after the other and skip a copy of the chunk.
 * @example for (const piece of sealEnvelopeParts(key, context, chunk, false)) stream.write(piece)
 */
export function sealEnvelopeParts(
  key: EnvelopeKey,
  context: EnvelopeContext,
  plaintext: Uint8Array,
  final = true,
): EnvelopeParts {
  assertKey(key)
  assertBytes(plaintext, undefined, 'plaintext')
  const header = Buffer.allocUnsafe(ENVELOPE_HEADER_LENGTH)
  header.set(ENVELOPE_MAGIC, 0)
  header[4] = ENVELOPE_VERSION
  header[5] = ENVELOPE_ALG_AES_256_GCM
  header[6] = final ? ENVELOPE_FLAG_FINAL : 0
  header[7] = 0
  header.set(key.id, 8)
  header.writeUInt32BE(key.version, 24)
  const nonce = randomBytes(ENVELOPE_NONCE_LENGTH)
  header.set(nonce, 28)
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce, {
    authTagLength: ENVELOPE_TAG_LENGTH,
  })
  cipher.setAAD(associatedData(header, context))
  const body = cipher.update(plaintext)
  // GCM is a stream mode: final() yields no bytes, only the tag
  cipher.final()
  return [header, body, cipher.getAuthTag()]
}

/**
 * Seals one chunk into one contiguous envelope (what a store keeps as one value).
 * `final` marks the last chunk of an object (a single-chunk object is final).
 * @example
 * const sealed = sealEnvelope(projectKey, { projectId, objectId, chunkIndex: 0 }, bytes, true)
 */
export function sealEnvelope(
  key: EnvelopeKey,
  context: EnvelopeContext,
  plaintext: Uint8Array,
  final = true,
): Uint8Array {
  return Buffer.concat(sealEnvelopeParts(key, context, plaintext, final))
}

/**
 * Opens one chunk sealed by sealEnvelope. Throws EnvelopeFormatError for bytes that are
 * not an envelope and EnvelopeAuthError when the key, the key id or version, the context
 * or any byte is not as sealed. Returns no plaintext unless the tag verified.
 * @example const { plaintext, final } = openEnvelope(projectKey, context, sealed)
 */
export function openEnvelope(
  key: EnvelopeKey,
  context: EnvelopeContext,
  envelope: Uint8Array,
): { plaintext: Uint8Array; final: boolean } {
  assertKey(key)
  const header = readEnvelopeHeader(envelope)
  if (header.keyVersion !== key.version || !Buffer.from(header.keyId).equals(key.id)) {
    throw new EnvelopeAuthError(
      `envelope was sealed under key version ${header.keyVersion} of another key id or version than the one given (version ${key.version})`,
    )
  }
  const tagStart = envelope.length - ENVELOPE_TAG_LENGTH
  const decipher = createDecipheriv('aes-256-gcm', key.key, header.nonce, {
    authTagLength: ENVELOPE_TAG_LENGTH,
  })
  decipher.setAAD(associatedData(envelope.subarray(0, ENVELOPE_HEADER_LENGTH), context))
  decipher.setAuthTag(envelope.subarray(tagStart))
  const plaintext = decipher.update(envelope.subarray(ENVELOPE_HEADER_LENGTH, tagStart))
  try {
    decipher.final()
  } catch {
    plaintext.fill(0)
    throw new EnvelopeAuthError()
  }
  return { plaintext, final: header.final }
}
