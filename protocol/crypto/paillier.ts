/**
 * Paillier encryption for `sum` jobs: members encrypt integers under a public key, nodes
 * multiply the ciphertexts (which adds the plaintexts) without being able to read them,
 * and only the private key's holder opens the total. The arithmetic is paillier-bigint's
 * (simple variant, g = n + 1); this module adds signed values, checked inputs and the
 * encodings Sealnet stores.
 *
 * Signed values: m is stored as m mod n, and a total above n/2 reads as negative, so a sum
 * is exact while its absolute value stays below n/2 (2^2046 for a 2048-bit key).
 *
 * Fast encryption (Damgård, Jurik and Nielsen's variant, "A generalization of Paillier's
 * public-key system with applications to electronic voting", 2010, §4): instead of a fresh
 * r^n with r uniform in Z*_n (a 2048-bit exponent mod n²), the randomizer is hs^α with
 * hs = h^n mod n² fixed per key and α uniform below 2^⌈k/2⌉ (k the bits of n). hs^α =
 * (h^α)^n is still an n-th residue, so ciphertexts are ordinary Paillier ciphertexts:
 * decryption, addition and stored formats are unchanged. h = −x² mod n with x derived from
 * n by hashing, so every encryptor of a key uses the same h and nobody can choose it. The
 * security argument: semantic security holds under DCR as long as h^α for short α is
 * indistinguishable from a random element of ⟨h⟩, which Håstad, Schrift and Shamir (1993)
 * show follows from factoring being hard, for exponents of half the modulus length. The
 * exponentiation runs in OpenSSL (fixed-base-power.ts). Together: about 13× faster than
 * paillier-bigint's encrypt at 2048 bits (`npm run bench`, sum.paillier_encrypt).
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'
import { generateRandomKeys, PrivateKey, PublicKey } from 'paillier-bigint'
import { bitLength, gcd } from './bigint-math.ts'
import { InvalidInputError, MalformedRecordError } from './errors.ts'
import { FixedBasePower } from './fixed-base-power.ts'

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
 * only (the textbook r^n randomizer); by default the randomizer is the module note's
 * hs^α with a fresh α, so equal values give unrelated ciphertexts.
 */
export function encryptPaillier(publicKey: PublicKey, value: bigint, r?: bigint): bigint {
  const { n, _n2: n2 } = publicKey
  const half = n / 2n
  if (value >= half || -value >= half)
    throw new InvalidInputError(`${value} is too large for a ${publicKey.bitLength}-bit key`)
  const m = ((value % n) + n) % n
  if (r !== undefined) return publicKey.encrypt(m, r)
  // (1 + n)^m = 1 + m·n mod n²
  return (((1n + m * n) % n2) * shortRandomizer(publicKey)) % n2
}

interface Randomizer {
  power: FixedBasePower
  exponentBytes: number
}

const randomizers = new WeakMap<PublicKey, Randomizer>()

/** hs^α mod n² for a fresh α below 2^⌈k/2⌉ (module note). */
function shortRandomizer(publicKey: PublicKey): bigint {
  let randomizer = randomizers.get(publicKey)
  if (!randomizer) {
    const { n, _n2: n2 } = publicKey
    const hs = new FixedBasePower(randomizerBase(n), n2).pow(n)
    randomizer = { power: new FixedBasePower(hs, n2), exponentBytes: Math.ceil(bitLength(n) / 16) }
    randomizers.set(publicKey, randomizer)
  }
  let alpha = 0n
  while (alpha === 0n) alpha = BigInt(`0x${randomBytes(randomizer.exponentBytes).toString('hex')}`)
  return randomizer.power.pow(alpha)
}

/** h = −x² mod n, x from SHA-512 over a label and n (counter mode), a unit mod n. */
export function randomizerBase(n: bigint): bigint {
  for (let attempt = 0; ; attempt++) {
    const blocks: Buffer[] = []
    for (let i = 0; blocks.length * 512 < bitLength(n) + 128; i++)
      blocks.push(
        createHash('sha512')
          .update(`sealnet/paillier-h/${attempt}/${i}/${n.toString(16)}`)
          .digest(),
      )
    const x = BigInt(`0x${Buffer.concat(blocks).toString('hex')}`) % n
    if (x > 1n && gcd(x, n) === 1n) return n - ((x * x) % n)
  }
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
