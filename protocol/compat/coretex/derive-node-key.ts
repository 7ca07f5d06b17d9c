/**
 * Coretex node keys: `RSA.generate(2048, randfunc, e=65537)` of pycryptodome, with the
 * SHA-256 chain as randfunc, reproduced byte for byte.
 *
 * The key depends on which bytes of the chain become prime candidates, so every read
 * of pycryptodome (Crypto.PublicKey.RSA.generate, Crypto.Math.Primality) is followed:
 *  - a candidate is Integer.random(exact_bits=1024): one byte (top bit set), then 127,
 *    then `| 1`; the filter (> √(2^2047), gcd(c−1, e) = 1, and for q |q−p| > 2^924)
 *    discards without reading more;
 *  - test_probable_prime's trial division is `map(…)`, which Python 3 never evaluates,
 *    so every filtered candidate reaches Miller-Rabin;
 *  - Miller-Rabin (4 rounds at 1024 bits) draws each base with Integer.random_range,
 *    rejection sampling 1024-bit numbers until one is ≤ c − 4; a composite is refuted by
 *    its first base, a prime consumes all four; the Lucas test reads nothing.
 * Only the byte counts matter, and they depend only on whether a candidate is prime, so
 * primality is decided here by trial division and OpenSSL instead of Python's big
 * integers (pycryptodome's answer differs only for a composite that survives 4 random
 * bases and a Lucas test: never seen, and below 2^-100). Checked against 12 keys made by
 * pycryptodome itself (test/vectors/coretex.json).
 *
 * These keys are weak against offline guessing (the secret is hashed once, unsalted):
 * Sealnet's own derivation (derive-master-key.ts) is the default everywhere else.
 * @module
 */
import { bitLength, lcm, modInverse, oddPrimes } from '../../crypto/bigint-math.ts'
import { bytesToBigInt } from '../../crypto/bytes.ts'
import { InvalidInputError } from '../../crypto/errors.ts'
import { isProbablePrimeNative } from '../../crypto/miller-rabin.ts'
import { type RsaKeyPair, rsaKeyPairFromParams } from '../../crypto/rsa-from-seed.ts'
import { Sha256Chain } from './sha256-chain.ts'

const BITS = 2048
const PRIME_BITS = BITS / 2
const E = 65537n
/** pycryptodome's mr_ranges: Miller-Rabin iterations by candidate size (bits < limit). */
const MR_ITERATIONS: readonly (readonly [limit: number, iterations: number])[] = [
  [220, 30],
  [280, 20],
  [390, 15],
  [512, 10],
  [620, 7],
  [740, 6],
  [890, 5],
  [1200, 4],
  [1700, 3],
  [3700, 2],
]
/** The 167 odd primes below 1000: cheap proof of compositeness for most candidates. */
const SMALL_PRIMES: readonly bigint[] = oddPrimes(167).map(BigInt)

function integerSqrt(n: bigint): bigint {
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2))
  for (;;) {
    const y = (x + n / x) >> 1n
    if (y >= x) return x
    x = y
  }
}

/** Integer.random(exact_bits | max_bits, randfunc) of pycryptodome. */
function randomInteger(chain: Sha256Chain, bits: number, exact: boolean): bigint {
  const bytesNeeded = Math.floor((bits - 1) / 8) + 1
  const msbBits = 8 - (bytesNeeded * 8 - bits)
  let msb = chain.read(1)[0]!
  if (exact) msb |= 1 << (msbBits - 1)
  msb &= (1 << msbBits) - 1
  const rest = chain.read(bytesNeeded - 1)
  return (BigInt(msb) << BigInt(8 * rest.length)) | bytesToBigInt(rest)
}

/** Integer.random_range(min_inclusive, max_inclusive, randfunc): the bytes it reads. */
function skipRandomRange(chain: Sha256Chain, min: bigint, max: bigint): void {
  const span = max - min
  const bits = bitLength(span)
  while (randomInteger(chain, bits, false) > span) {
    // rejected: pycryptodome draws again
  }
}

function isPrime(candidate: bigint): boolean {
  for (const p of SMALL_PRIMES) if (candidate % p === 0n) return false
  return isProbablePrimeNative(candidate)
}

/** generate_probable_prime(exact_bits, randfunc, prime_filter) of pycryptodome. */
function probablePrime(chain: Sha256Chain, filter: (candidate: bigint) => boolean): bigint {
  const iterations = MR_ITERATIONS.find(([limit]) => PRIME_BITS < limit)?.[1] ?? 1
  for (;;) {
    const candidate = randomInteger(chain, PRIME_BITS, true) | 1n
    if (!filter(candidate)) continue
    const prime = isPrime(candidate)
    // Miller-Rabin's base draws: one refutes a composite, a prime uses every iteration
    for (let i = 0; i < (prime ? iterations : 1); i++) skipRandomRange(chain, 2n, candidate - 2n)
    if (prime) return candidate
  }
}

/**
 * The RSA-2048 key Coretex derives from a node secret.
 * @example const { publicKey } = deriveCoretexNodeKey('node secret')
 */
export function deriveCoretexNodeKey(secret: string): RsaKeyPair {
  // an empty secret is valid for Coretex (SHA-256 of nothing): only the type is checked
  if (typeof secret !== 'string') throw new InvalidInputError('secret must be a string')
  const chain = new Sha256Chain(secret)
  const minPrime = integerSqrt(1n << BigInt(2 * PRIME_BITS - 1))
  const minDistance = 1n << BigInt(BITS / 2 - 100)
  const coprimeToE = (c: bigint) => (c - 1n) % E !== 0n
  const first = probablePrime(chain, c => c > minPrime && coprimeToE(c))
  const second = probablePrime(
    chain,
    c => c > minPrime && coprimeToE(c) && (c > first ? c - first : first - c) > minDistance,
  )
  const d = modInverse(E, lcm(first - 1n, second - 1n))
  // pycryptodome orders p < q; PKCS#1 then stores q⁻¹ mod p as the coefficient
  const [p, q] = first < second ? [first, second] : [second, first]
  return rsaKeyPairFromParams({
    n: p * q,
    e: E,
    d,
    p,
    q,
    dp: d % (p - 1n),
    dq: d % (q - 1n),
    qi: modInverse(q, p),
  })
}

/** The public key as Coretex writes it: PEM PKCS#1 ("BEGIN RSA PUBLIC KEY"), LF endings. */
export function coretexPublicPem(key: RsaKeyPair): string {
  return key.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString()
}

/** The private key as Coretex writes it: PEM PKCS#8 ("BEGIN PRIVATE KEY"), LF endings. */
export function coretexPrivatePem(key: RsaKeyPair): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}
