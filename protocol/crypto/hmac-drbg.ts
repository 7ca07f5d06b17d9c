/**
 * HMAC_DRBG with SHA-256, NIST SP 800-90A Rev. 1 §10.1.2, without reseeding or
 * prediction resistance: it expands one secret seed into a reproducible byte stream.
 * Sealnet uses it only as the deterministic source for master-key derivation, where
 * the same seed must give the same bytes on every machine.
 * @module
 */
import { createHmac } from 'node:crypto'
import { assertBytes } from './bytes.ts'
import { InvalidInputError } from './errors.ts'

const OUTLEN = 32
/** SP 800-90A Table 2: at most 2^19 bits per generate call. */
const MAX_BYTES_PER_REQUEST = 65536

function hmac(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac('sha256', key)
  for (const part of parts) h.update(part)
  return h.digest()
}

/**
 * A deterministic random bit generator. Same entropy, nonce and personalization give
 * the same output stream.
 * @example
 * const drbg = new HmacDrbg(seed, nonce, utf8('sealnet/rsa/v1'))
 * const bytes = drbg.generate(128)
 */
export class HmacDrbg {
  #k: Uint8Array = new Uint8Array(OUTLEN)
  #v: Uint8Array = new Uint8Array(OUTLEN).fill(1)

  constructor(
    entropy: Uint8Array,
    nonce: Uint8Array = new Uint8Array(0),
    personalization: Uint8Array = new Uint8Array(0),
  ) {
    assertBytes(entropy, undefined, 'entropy')
    assertBytes(nonce, undefined, 'nonce')
    assertBytes(personalization, undefined, 'personalization')
    // SP 800-90A requires security_strength bits of entropy: 256 for SHA-256
    if (entropy.length < 32) throw new InvalidInputError('entropy must be at least 32 bytes')
    this.#update(Buffer.concat([entropy, nonce, personalization]))
  }

  #update(provided: Uint8Array): void {
    this.#k = hmac(this.#k, this.#v, Uint8Array.of(0x00), provided)
    this.#v = hmac(this.#k, this.#v)
    if (provided.length === 0) return
    this.#k = hmac(this.#k, this.#v, Uint8Array.of(0x01), provided)
    this.#v = hmac(this.#k, this.#v)
  }

  /** Returns the next `length` bytes of the stream. */
  generate(length: number, additionalInput: Uint8Array = new Uint8Array(0)): Uint8Array {
    if (!Number.isInteger(length) || length < 0 || length > MAX_BYTES_PER_REQUEST) {
      throw new InvalidInputError(`length must be an integer from 0 to ${MAX_BYTES_PER_REQUEST}`)
    }
    if (additionalInput.length > 0) this.#update(additionalInput)
    const out = new Uint8Array(length)
    for (let offset = 0; offset < length; offset += OUTLEN) {
      this.#v = hmac(this.#k, this.#v)
      out.set(this.#v.subarray(0, Math.min(OUTLEN, length - offset)), offset)
    }
    this.#update(additionalInput)
    return out
  }
}
