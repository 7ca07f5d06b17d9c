import { describe, expect, it } from 'vitest'
import { InvalidInputError } from './errors.ts'
import { bigintToBytes, FixedBasePower } from './fixed-base-power.ts'

function slowPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n
  for (base %= modulus; exponent > 0n; exponent >>= 1n, base = (base * base) % modulus)
    if (exponent & 1n) result = (result * base) % modulus
  return result
}

describe('FixedBasePower', () => {
  it('matches square-and-multiply for a composite modulus, exponent after exponent', () => {
    // n² of a small Paillier-shaped modulus: composite, as the Paillier randomizer uses it
    const n = (2n ** 127n - 1n) * (2n ** 89n - 1n)
    const power = new FixedBasePower(123456789n, n * n)
    for (const e of [1n, 2n, 65537n, 2n ** 200n + 12345n, n])
      expect(power.pow(e)).toBe(slowPow(123456789n, e, n * n))
  })

  it('refuses even moduli, bases out of range and non-positive exponents', () => {
    expect(() => new FixedBasePower(3n, 100n)).toThrow(InvalidInputError)
    expect(() => new FixedBasePower(1n, 101n)).toThrow(InvalidInputError)
    expect(() => new FixedBasePower(101n, 101n)).toThrow(InvalidInputError)
    expect(() => new FixedBasePower(3n, 101n).pow(0n)).toThrow(InvalidInputError)
  })

  it('writes big-endian bytes with no sign byte', () => {
    expect(bigintToBytes(0n)).toEqual(Buffer.from([0]))
    expect(bigintToBytes(0xabcn)).toEqual(Buffer.from([0x0a, 0xbc]))
    expect(bigintToBytes(2n ** 64n)).toEqual(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0]))
  })
})
