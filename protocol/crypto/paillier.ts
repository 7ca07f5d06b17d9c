/**
 * Paillier encryption for `sum` jobs: members encrypt integers under a public key, nodes
 * multiply the ciphertexts (which adds the plaintexts) without being able to read them,
 * and only the private key's holder opens the total. The arithmetic is paillier-bigint's
 * (simple variant, g = n + 1); this module adds signed values, checked inputs and the
 * encodings Sealnet stores.
 *
 * Signed values: m is stored as m mod n, and a total above n/2 reads as negative, so a sum
 * is exact while its absolute value stays below n/2 (2^2046 for a 2048-bit key).
 * @module
 */
import { createHash } from 'node:crypto'
import { generateRandomKeys, PrivateKey, PublicKey } from 'paillier-bigint'
import { gcd } from './bigint-math.ts'
import { InvalidInputError, MalformedRecordError } from './errors.ts'

export { PrivateKey as PaillierPrivateKey, PublicKey as PaillierPublicKey }

/** The modulus size of new keys; 2048 bits, the floor NIST SP 800-57 sets for factoring-based keys. */
export const PAILLIER_DEFAULT_BITS = 2048

export interface PaillierKeyPair {
  publicKey: PublicKey
  privateKey: PrivateKey
}

/** A fresh key pair with an n of `bits` bits. */
export async function generatePaillierKeys(bits = PAILLIER_DEFAULT_BITS): Promise<PaillierKeyPair> {
  if (!Number.isInteger(bits) || bits < 512 || bits > 8192)
    throw new InvalidInputError(`a Paillier key takes 512 to 8192 bits, not ${bits}`)
  return generateRandomKeys(bits, true)
}

/** The public key with modulus `n` (g = n + 1). */
export function paillierPublicKey(n: bigint): PublicKey {
  // 512 bits is far too few for real data; the floor only rejects nonsense (tests use small keys)
  if (n < 2n ** 511n || n % 2n === 0n)
    throw new InvalidInputError('a Paillier modulus is an odd integer of at least 512 bits')
  return new PublicKey(n, n + 1n)
}

/** A short fingerprint of a public key: the first 8 bytes of SHA-256 over n, hex. */
export function paillierKeyId(publicKey: PublicKey): string {
  return createHash('sha256').update(publicKey.n.toString(16)).digest('hex').slice(0, 16)
}

/**
 * Encrypts a signed integer (|value| < n/2) under `publicKey`. `r` is for test vectors
 * only; by default it is drawn at random, so equal values give unrelated ciphertexts.
 */
export function encryptPaillier(publicKey: PublicKey, value: bigint, r?: bigint): bigint {
  const half = publicKey.n / 2n
  if (value >= half || -value >= half)
    throw new InvalidInputError(`${value} is too large for a ${publicKey.bitLength}-bit key`)
  return publicKey.encrypt(((value % publicKey.n) + publicKey.n) % publicKey.n, r)
}

/** Throws InvalidInputError unless `c` can be a ciphertext of `publicKey` (0 < c < n², coprime to n). */
export function checkCiphertext(publicKey: PublicKey, c: bigint): bigint {
  if (c <= 0n || c >= publicKey._n2 || gcd(c, publicKey.n) !== 1n)
    throw new InvalidInputError('not a ciphertext of this Paillier key')
  return c
}

/** The encryption of the sum of what `ciphertexts` encrypt: their product mod n². */
export function addPaillier(publicKey: PublicKey, ciphertexts: readonly bigint[]): bigint {
  if (ciphertexts.length === 0) throw new InvalidInputError('nothing to add')
  let product = 1n
  for (const c of ciphertexts) product = (product * checkCiphertext(publicKey, c)) % publicKey._n2
  return product
}

/** Opens a ciphertext as a signed integer (see the module note on signs). */
export function decryptPaillier(privateKey: PrivateKey, c: bigint): bigint {
  const m = privateKey.decrypt(checkCiphertext(privateKey.publicKey, c))
  return m > privateKey.publicKey.n / 2n ? m - privateKey.publicKey.n : m
}

/** A ciphertext as fixed-width hex (the width of n², so every ciphertext of a key is as long). */
export function ciphertextToHex(publicKey: PublicKey, c: bigint): string {
  return c.toString(16).padStart(ciphertextHexLength(publicKey), '0')
}

export function ciphertextHexLength(publicKey: PublicKey): number {
  return Math.ceil(publicKey._n2.toString(16).length / 2) * 2
}

/** The stored form of a private key (kept only sealed: it opens every total). */
export interface PaillierPrivateKeyRecord {
  v: 1
  n: string
  lambda: string
  mu: string
}

export function encodePaillierPrivateKey(privateKey: PrivateKey): PaillierPrivateKeyRecord {
  return {
    v: 1,
    n: privateKey.publicKey.n.toString(16),
    lambda: privateKey.lambda.toString(16),
    mu: privateKey.mu.toString(16),
  }
}

/** MalformedRecordError unless the record holds a key that opens what its public key seals. */
export function decodePaillierPrivateKey(record: unknown): PrivateKey {
  const r = record as Partial<PaillierPrivateKeyRecord> | null
  const hex = (value: unknown) => typeof value === 'string' && /^[0-9a-f]{1,4096}$/.test(value)
  if (r?.v !== 1 || !hex(r.n) || !hex(r.lambda) || !hex(r.mu))
    throw new MalformedRecordError('not a Paillier private key record (v 1, n, lambda, mu in hex)')
  let privateKey: PrivateKey
  try {
    const publicKey = paillierPublicKey(BigInt(`0x${r.n}`))
    privateKey = new PrivateKey(BigInt(`0x${r.lambda}`), BigInt(`0x${r.mu}`), publicKey)
    if (decryptPaillier(privateKey, encryptPaillier(publicKey, 1n)) === 1n) return privateKey
  } catch {}
  throw new MalformedRecordError('the Paillier private key record does not match its modulus')
}
