/**
 * Coretex's file encryption, AES-256-CBC: file = IV (16) ‖ one CBC stream. PKCS#7
 * padding is added only when the plaintext length is not a multiple of 16, and the
 * reader strips padding when it is valid and keeps the bytes otherwise. So an aligned
 * plaintext that happens to end like padding (…0x01) loses those bytes, as it does in
 * Coretex, and a wrong key can't be told from aligned data: the format has no MAC.
 * This module reads (and, for tests and migration, writes) that format; Sealnet's own
 * data is always AES-256-GCM (envelope.ts).
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { assertBytes } from '../../crypto/bytes.ts'
import { CoretexFormatError, CoretexKeyError } from './errors.ts'

const BLOCK = 16

/**
 * Parses a Coretex project key: base64 of the 32 raw key bytes (surrounding whitespace ignored).
 * @example parseCoretexProjectKey(readFileSync('project.key', 'utf8'))
 */
export function parseCoretexProjectKey(text: string): Uint8Array {
  const trimmed = text.trim()
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed))
    throw new CoretexKeyError('the Coretex project key is not base64')
  const key = Buffer.from(trimmed, 'base64')
  if (key.length !== 32)
    throw new CoretexKeyError(`the Coretex project key is ${key.length} bytes; AES-256 needs 32`)
  return key
}

/** Length of valid PKCS#7 padding at the end of the last block, or 0 when it is not padding. */
export function coretexPaddingLength(lastBlock: Uint8Array): number {
  const n = lastBlock[lastBlock.length - 1] ?? 0
  if (n < 1 || n > BLOCK || n > lastBlock.length) return 0
  for (let i = lastBlock.length - n; i < lastBlock.length; i++) if (lastBlock[i] !== n) return 0
  return n
}

/**
 * Encrypts as Coretex does (for tests and round trips).
 * @example encryptCoretex(key, Buffer.from('hello'), iv) // IV ‖ 7fd12dafb7e9599d0b849ad8c2e3c21f
 */
export function encryptCoretex(
  key: Uint8Array,
  plaintext: Uint8Array,
  iv: Uint8Array = randomBytes(BLOCK),
): Uint8Array {
  assertBytes(key, 32, 'key')
  assertBytes(iv, BLOCK, 'iv')
  const cipher = createCipheriv('aes-256-cbc', key, iv)
  cipher.setAutoPadding(plaintext.length % BLOCK !== 0)
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()])
}

/**
 * Decrypts a Coretex file held in memory. Throws CoretexFormatError when it is shorter
 * than an IV or not a whole number of blocks.
 */
export function decryptCoretex(key: Uint8Array, file: Uint8Array): Uint8Array {
  assertBytes(key, 32, 'key')
  if (file.length < BLOCK)
    throw new CoretexFormatError(`file is ${file.length} bytes, shorter than the 16-byte IV`)
  if ((file.length - BLOCK) % BLOCK !== 0) {
    throw new CoretexFormatError(
      `ciphertext is ${file.length - BLOCK} bytes, not whole 16-byte blocks: the file is truncated`,
    )
  }
  const decipher = createDecipheriv('aes-256-cbc', key, file.subarray(0, BLOCK))
  decipher.setAutoPadding(false)
  const plaintext = Buffer.concat([decipher.update(file.subarray(BLOCK)), decipher.final()])
  return plaintext.subarray(0, plaintext.length - coretexPaddingLength(plaintext.subarray(-BLOCK)))
}

/**
 * Decrypts a Coretex file from a byte stream with bounded memory: the last block is held
 * back until the end, when its padding is judged.
 */
export async function* decryptCoretexStream(
  key: Uint8Array,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  assertBytes(key, 32, 'key')
  let iv: Uint8Array = new Uint8Array(0)
  let decipher: ReturnType<typeof createDecipheriv> | undefined
  let held: Uint8Array = new Uint8Array(0)
  let total = 0
  for await (const piece of source) {
    total += piece.length
    let data = piece
    if (decipher === undefined) {
      iv = Buffer.concat([iv, data])
      if (iv.length < BLOCK) continue
      data = iv.subarray(BLOCK)
      decipher = createDecipheriv('aes-256-cbc', key, iv.subarray(0, BLOCK))
      decipher.setAutoPadding(false)
    }
    const out = Buffer.concat([held, decipher.update(data)])
    const keep = Math.min(BLOCK, out.length)
    if (out.length > keep) yield out.subarray(0, out.length - keep)
    held = out.subarray(out.length - keep)
  }
  if (decipher === undefined)
    throw new CoretexFormatError(`file is ${total} bytes, shorter than the 16-byte IV`)
  if ((total - BLOCK) % BLOCK !== 0) {
    throw new CoretexFormatError(
      `ciphertext is ${total - BLOCK} bytes, not whole 16-byte blocks: the file is truncated`,
    )
  }
  decipher.final()
  yield held.subarray(0, held.length - coretexPaddingLength(held))
}
