import { describe, expect, it } from 'vitest'
import vectors from '../../test/vectors/hmac-drbg.json' with { type: 'json' }
import { HmacDrbg } from './hmac-drbg.ts'

const hex = (s: string | null) => Buffer.from(s ?? '', 'hex')

describe('HmacDrbg', () => {
  describe('NIST CAVP vectors', () => {
    for (const v of vectors.valid) {
      it(`matches ${v.name}`, () => {
        const drbg = new HmacDrbg(hex(v.entropy), hex(v.nonce), hex(v.pers))
        const length = v.expected.length / 2
        drbg.generate(length, hex(v.add[0] ?? null))
        expect(Buffer.from(drbg.generate(length, hex(v.add[1] ?? null))).toString('hex')).toBe(
          v.expected,
        )
      })
    }
  })

  describe('generate', () => {
    it('gives the same stream for the same seed and different streams for different seeds', () => {
      const seed = new Uint8Array(32).fill(7)
      const a = new HmacDrbg(seed).generate(100)
      expect(new HmacDrbg(seed).generate(100)).toEqual(a)
      expect(new HmacDrbg(seed, Uint8Array.of(1)).generate(100)).not.toEqual(a)
    })

    it('throws InvalidInputError when entropy is shorter than 32 bytes', () => {
      expect(() => new HmacDrbg(new Uint8Array(31))).toThrow(
        expect.objectContaining({ name: 'InvalidInputError' }),
      )
    })

    it('throws InvalidInputError when more than 65536 bytes are asked at once', () => {
      const drbg = new HmacDrbg(new Uint8Array(32))
      expect(() => drbg.generate(65537)).toThrow(
        expect.objectContaining({ name: 'InvalidInputError' }),
      )
      expect(drbg.generate(65536)).toHaveLength(65536)
    })
  })
})
