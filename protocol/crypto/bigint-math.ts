/** Big-integer helpers for key generation: small, exact, not constant-time (inputs are not secret-dependent branches we can avoid in JS). */

export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length
}

export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

export function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b
}

/**
 * Modular inverse by the extended Euclidean algorithm; throws RangeError when `a` and
 * `m` are not coprime.
 * @example modInverse(3n, 11n) // 4n
 */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m]
  let [oldS, s] = [1n, 0n]
  while (r !== 0n) {
    const q = oldR / r
    ;[oldR, r] = [r, oldR - q * r]
    ;[oldS, s] = [s, oldS - q * s]
  }
  if (oldR !== 1n) throw new RangeError('not invertible')
  return ((oldS % m) + m) % m
}

/** The first `count` odd primes (at most 2261: the sieve stops at 20 000). */
export function oddPrimes(count: number): number[] {
  const limit = 20_000 // the 2048th odd prime is 17 881
  const composite = new Uint8Array(limit)
  const primes: number[] = []
  for (let i = 3; i < limit && primes.length < count; i += 2) {
    if (composite[i]) continue
    primes.push(i)
    for (let j = i * i; j < limit; j += 2 * i) composite[j] = 1
  }
  return primes
}
