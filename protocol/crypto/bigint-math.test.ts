import { describe, expect, it } from 'vitest'
import { bitLength, gcd, lcm, modInverse, oddPrimes } from './bigint-math.ts'

describe('bigint-math', () => {
  it('modInverse inverts modulo a prime and throws RangeError when not coprime', () => {
    expect((modInverse(3n, 11n) * 3n) % 11n).toBe(1n)
    expect(() => modInverse(4n, 8n)).toThrow(RangeError)
  })

  it('gcd, lcm and bitLength agree with hand-computed values', () => {
    expect([gcd(12n, 18n), lcm(4n, 6n), bitLength(0n), bitLength(255n), bitLength(256n)]).toEqual([
      6n,
      12n,
      0,
      8,
      9,
    ])
  })

  it('oddPrimes lists the odd primes in order: 167 below 1000, the 2048th is 17 881', () => {
    expect(oddPrimes(5)).toEqual([3, 5, 7, 11, 13])
    expect(oddPrimes(167).at(-1)).toBe(997)
    expect(oddPrimes(2048).at(-1)).toBe(17881)
  })
})
