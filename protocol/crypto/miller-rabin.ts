/**
 * Miller-Rabin probable-prime test (FIPS 186-5 B.3.1) with random bases, on OpenSSL's
 * modular exponentiation.
 *
 * Why not crypto.checkPrime: OpenSSL 3 runs at least 64 rounds whatever `checks` asks
 * (138 ms to confirm a 2048-bit prime here), while its own RSA keygen uses the few
 * rounds FIPS 186-5 requires for random candidates. node:crypto has no modexp, but a
 * raw RSA public operation (no padding) with modulus n and exponent x is exactly
 * b^x mod n, computed by OpenSSL. OpenSSL refuses public exponents over 64 bits for
 * moduli over 3072 bits, so larger candidates (8192-bit keys) use checkPrime.
 * @module
 */
import { checkPrimeSync, constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto'
import { bigIntToBase64Url, bytesToBigInt } from './bytes.ts'

/** Largest modulus OpenSSL accepts with an unbounded public exponent (OPENSSL_RSA_SMALL_MODULUS_BITS). */
export const MAX_NATIVE_MODEXP_BITS = 3072

/**
 * Rounds per candidate. For random candidates of 1024+ bits, 3 rounds already give an
 * error below 2^-80 (HAC Table 4.4, after Damgård–Landrock–Pomerance); 8 leaves a wide
 * margin for about 10 ms per confirmed 2048-bit prime. A composite fails in round one.
 */
export const MILLER_RABIN_ROUNDS = 8

/**
 * b ↦ b^x mod n by OpenSSL, for odd n of at most MAX_NATIVE_MODEXP_BITS bits and 0 ≤ b < n.
 * The key (n, x) is imported once; each call is one raw RSA public operation.
 */
function powerMod(
  exponent: bigint,
  modulus: bigint,
  modulusBytes: number,
): (base: bigint) => bigint {
  const key = createPublicKey({
    key: { kty: 'RSA', n: bigIntToBase64Url(modulus), e: bigIntToBase64Url(exponent) },
    format: 'jwk',
  })
  return base => {
    const input = Buffer.from(base.toString(16).padStart(modulusBytes * 2, '0'), 'hex')
    return bytesToBigInt(publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, input))
  }
}

/**
 * True when n is probably prime: `rounds` Miller-Rabin rounds with random bases.
 * For n above MAX_NATIVE_MODEXP_BITS it defers to crypto.checkPrime.
 * @example isProbablePrimeNative(2n ** 127n - 1n) // true
 */
export function isProbablePrimeNative(n: bigint, rounds: number = MILLER_RABIN_ROUNDS): boolean {
  if (n < 4n) return n === 2n || n === 3n
  if ((n & 1n) === 0n) return false
  const bits = n.toString(2).length
  // tiny n can't be an RSA modulus for OpenSSL; they never occur in key generation
  if (bits > MAX_NATIVE_MODEXP_BITS || bits < 512) return checkPrimeSync(n)
  const modulusBytes = Math.ceil(bits / 8)
  const minusOne = n - 1n
  let odd = minusOne
  let twos = 0
  while ((odd & 1n) === 0n) {
    odd >>= 1n
    twos++
  }
  const toOddPower = powerMod(odd, n, modulusBytes)
  for (let round = 0; round < rounds; round++) {
    // a uniform-enough base in [2, n−2]: 64 extra random bits make the modulo bias negligible
    const base = (bytesToBigInt(randomBytes(modulusBytes + 8)) % (n - 3n)) + 2n
    let z = toOddPower(base)
    if (z === 1n || z === minusOne) continue
    let witness = true
    for (let j = 1; j < twos && witness; j++) {
      z = (z * z) % n
      if (z === minusOne) witness = false
      else if (z === 1n) return false
    }
    if (witness) return false
  }
  return true
}
