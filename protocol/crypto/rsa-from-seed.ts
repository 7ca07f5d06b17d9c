/**
 * Deterministic RSA key generation from a DRBG (Sealnet derivation v1).
 *
 * The same byte stream always yields the same key, so a key derived from a password
 * can be re-derived on any machine. The procedure (pinned by test/vectors/masterkey.json):
 *
 *  1. A prime of k = bits/2 bits: draw k/8 bytes, set the top two bits (so p·q has
 *     exactly `bits` bits) and the low bit; this is the start s.
 *  2. Take the first prime c among s, s+2, …, s+2·(PRIME_SEARCH_WINDOW−1) with
 *     c ≢ 1 (mod 65537) (so gcd(c−1, e) = 1). If there is none, or c overflows k bits,
 *     draw a new start.
 *  3. p first, then q by the same procedure; q is redrawn while |p−q| ≤ 2^(k−100)
 *     (FIPS 186-5 A.1.3) or d ≤ 2^k.
 *  4. d = e⁻¹ mod lcm(p−1, q−1); the larger prime is p; qi = q⁻¹ mod p.
 *
 * How step 2 finds the prime is not part of the definition: a sieve with the first
 * SIEVE_PRIME_COUNT odd primes removes most composites (as OpenSSL's own keygen does),
 * then a probabilistic test decides. Any correct test gives the same key; the 'native'
 * (OpenSSL) and 'forge' (pure JS) tests are checked against each other.
 * @module
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import forge from 'node-forge'
import { lcm, modInverse, oddPrimes } from './bigint-math.ts'
import { bigIntToBase64Url, bytesToBigInt } from './bytes.ts'
import { PRIME_SEARCH_WINDOW, RSA_PUBLIC_EXPONENT, SIEVE_PRIME_COUNT } from './constants.ts'
import type { HmacDrbg } from './hmac-drbg.ts'
import { isProbablePrimeNative } from './miller-rabin.ts'

/** Decides primality of a sieved candidate. Both choices give the same key. */
export type PrimalityTest = 'native' | 'forge'

export interface RsaKeyPair {
  publicKey: KeyObject
  privateKey: KeyObject
}

const SIEVE_PRIMES: readonly number[] = oddPrimes(SIEVE_PRIME_COUNT)

function isProbablePrime(candidate: bigint, test: PrimalityTest): boolean {
  if (test === 'native') return isProbablePrimeNative(candidate)
  // forge's BigInteger Miller-Rabin: pure JS, for runtimes without OpenSSL; 64 rounds ≈ 2^-128 error
  return new forge.jsbn.BigInteger(candidate.toString(16), 16).isProbablePrime(64)
}

/** Step 1 and 2 of the module doc: one prime of exactly `bits` bits. */
export function primeFromDrbg(drbg: HmacDrbg, bits: number, test: PrimalityTest): bigint {
  const e = RSA_PUBLIC_EXPONENT
  const limit = 1n << BigInt(bits)
  for (;;) {
    const bytes = drbg.generate(bits / 8)
    bytes[0]! |= 0xc0
    bytes[bytes.length - 1]! |= 0x01
    const start = bytesToBigInt(bytes)
    // sieve[k] = 1 when start + 2k has a small prime factor
    const sieve = new Uint8Array(PRIME_SEARCH_WINDOW)
    for (const p of SIEVE_PRIMES) {
      const r = Number(start % BigInt(p))
      // start + 2k ≡ 0 (mod p)  ⇔  k ≡ −r · 2⁻¹ (mod p), and 2⁻¹ ≡ (p+1)/2
      for (let k = ((p - r) * ((p + 1) / 2)) % p; k < PRIME_SEARCH_WINDOW; k += p) sieve[k] = 1
    }
    for (let k = 0; k < PRIME_SEARCH_WINDOW; k++) {
      if (sieve[k]) continue
      const candidate = start + 2n * BigInt(k)
      if (candidate >= limit) break
      if (candidate % e === 1n) continue
      if (isProbablePrime(candidate, test)) return candidate
    }
  }
}

/** The RSA primes and private exponent for `bits`, steps 1–4 of the module doc. */
export function rsaParamsFromDrbg(drbg: HmacDrbg, bits: number, test: PrimalityTest = 'native') {
  const half = bits / 2
  const e = RSA_PUBLIC_EXPONENT
  const minDistance = 1n << BigInt(half - 100)
  const minD = 1n << BigInt(half)
  let p = primeFromDrbg(drbg, half, test)
  for (;;) {
    let q = primeFromDrbg(drbg, half, test)
    const distance = p > q ? p - q : q - p
    if (distance <= minDistance) continue
    const d = modInverse(e, lcm(p - 1n, q - 1n))
    if (d <= minD) continue
    if (q > p) [p, q] = [q, p]
    return { n: p * q, e, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi: modInverse(q, p) }
  }
}

/** Builds node:crypto key objects from RSA parameters (JWK import; OpenSSL does the rest). */
export function rsaKeyPairFromParams(params: ReturnType<typeof rsaParamsFromDrbg>): RsaKeyPair {
  const jwk = {
    kty: 'RSA',
    n: bigIntToBase64Url(params.n),
    e: bigIntToBase64Url(params.e),
    d: bigIntToBase64Url(params.d),
    p: bigIntToBase64Url(params.p),
    q: bigIntToBase64Url(params.q),
    dp: bigIntToBase64Url(params.dp),
    dq: bigIntToBase64Url(params.dq),
    qi: bigIntToBase64Url(params.qi),
  }
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' })
  return { privateKey, publicKey: createPublicKey(privateKey) }
}

/**
 * A deterministic RSA key pair of `bits` bits from a DRBG.
 * @example
 * const { publicKey, privateKey } = rsaKeyPairFromDrbg(new HmacDrbg(seed), 2048)
 */
export function rsaKeyPairFromDrbg(
  drbg: HmacDrbg,
  bits: number,
  test: PrimalityTest = 'native',
): RsaKeyPair {
  return rsaKeyPairFromParams(rsaParamsFromDrbg(drbg, bits, test))
}
