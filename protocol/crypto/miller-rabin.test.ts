import { checkPrimeSync, generatePrimeSync, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bytesToBigInt } from './bytes.ts'
import { isProbablePrimeNative } from './miller-rabin.ts'

describe('isProbablePrimeNative', () => {
  it.each([1024, 1536, 2048])('accepts primes of %i bits made by OpenSSL', bits => {
    for (let i = 0; i < 3; i++)
      expect(isProbablePrimeNative(generatePrimeSync(bits, { bigint: true }))).toBe(true)
  })

  it('rejects products of two primes (RSA moduli), the hardest composites for a quick test', () => {
    for (let i = 0; i < 5; i++) {
      const n = generatePrimeSync(512, { bigint: true }) * generatePrimeSync(512, { bigint: true })
      expect(isProbablePrimeNative(n)).toBe(false)
    }
  })

  it('agrees with crypto.checkPrime on 400 random odd 1024-bit numbers', () => {
    let primes = 0
    for (let i = 0; i < 400; i++) {
      const n = bytesToBigInt(randomBytes(128)) | (1n << 1023n) | 1n
      const expected = checkPrimeSync(n)
      primes += expected ? 1 : 0
      expect(isProbablePrimeNative(n)).toBe(expected)
    }
    // about 400 · 2/ln(2^1024) ≈ 1.1 primes expected; the test must also see composites
    expect(primes).toBeLessThan(400)
  })

  it('handles small and even inputs without calling OpenSSL', () => {
    expect([0n, 1n, 2n, 3n, 4n, 9n, 97n].map(n => isProbablePrimeNative(n))).toEqual([
      false,
      false,
      true,
      true,
      false,
      false,
      true,
    ])
    expect(isProbablePrimeNative(2n ** 1024n)).toBe(false)
  })

  it('defers to checkPrime above 3072 bits (OpenSSL caps public exponents there)', () => {
    const p = generatePrimeSync(3200, { bigint: true })
    expect(isProbablePrimeNative(p)).toBe(true)
    expect(isProbablePrimeNative(p * 3n)).toBe(false)
  })
})
