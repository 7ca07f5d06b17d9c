import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import vectors from '../../../test/vectors/coretex.json' with { type: 'json' }
import {
  decryptCoretex,
  decryptCoretexStream,
  encryptCoretex,
  parseCoretexProjectKey,
} from './cbc.ts'

const hasName = (name: string) => expect.objectContaining({ name })
const key = randomBytes(32)

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const part of source) parts.push(part)
  return Buffer.concat(parts)
}

/** Random data that does not end like PKCS#7 padding when aligned (see the next describe). */
function plaintextOf(size: number): Buffer {
  const data = randomBytes(size)
  if (size > 0 && size % 16 === 0) data[size - 1] = 0
  return data
}

describe('Coretex AES-256-CBC', () => {
  describe('vectors', () => {
    for (const v of vectors.cbc) {
      it(`encrypts and decrypts ${v.name}`, () => {
        const [k, iv, pt] = [v.key, v.iv, v.plaintext].map(h => Buffer.from(h, 'hex')) as [
          Buffer,
          Buffer,
          Buffer,
        ]
        const file = encryptCoretex(k, pt, iv)
        expect(Buffer.from(file).toString('hex')).toBe(v.iv + v.ciphertext)
        expect(Buffer.from(decryptCoretex(k, file))).toEqual(pt)
      })
    }
  })

  describe('round trip', () => {
    it.each([0, 1, 15, 16, 17, 31, 32, 33, 1000, 4096, 65535, 65536, 99_999, 100_000])(
      'keeps %i bytes, in memory and streamed',
      async size => {
        const plaintext = plaintextOf(size)
        const file = encryptCoretex(key, plaintext)
        expect(file.length).toBe(16 + (size % 16 === 0 ? size : size + 16 - (size % 16)))
        expect(Buffer.from(decryptCoretex(key, file))).toEqual(plaintext)
        expect(await collect(decryptCoretexStream(key, [file]))).toEqual(plaintext)
      },
    )

    it('keeps any size up to 100 000 bytes when streamed in pieces of any size', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 100_000 }),
          fc.integer({ min: 1, max: 5000 }),
          async (size, cut) => {
            const plaintext = plaintextOf(size)
            const file = encryptCoretex(key, plaintext)
            const pieces = []
            for (let i = 0; i < file.length; i += cut) pieces.push(file.subarray(i, i + cut))
            expect(await collect(decryptCoretexStream(key, pieces))).toEqual(plaintext)
          },
        ),
        { numRuns: 60 },
      )
    })
  })

  describe("Coretex's format limits, reproduced", () => {
    it('drops the tail of an aligned plaintext that ends like padding, as Coretex does', () => {
      const plaintext = Buffer.concat([randomBytes(15), Buffer.of(1)])
      expect(Buffer.from(decryptCoretex(key, encryptCoretex(key, plaintext)))).toEqual(
        plaintext.subarray(0, 15),
      )
    })

    it('cannot detect a wrong 32-byte key (no MAC): it returns other bytes', () => {
      const plaintext = plaintextOf(100)
      expect(
        Buffer.from(decryptCoretex(randomBytes(32), encryptCoretex(key, plaintext))).equals(
          plaintext,
        ),
      ).toBe(false)
    })
  })

  describe('refusals', () => {
    it('throws CoretexFormatError for a file shorter than the IV', async () => {
      expect(() => decryptCoretex(key, randomBytes(15))).toThrow(hasName('CoretexFormatError'))
      await expect(collect(decryptCoretexStream(key, [randomBytes(15)]))).rejects.toThrow(
        hasName('CoretexFormatError'),
      )
    })

    it('throws CoretexFormatError for a file cut in the middle of a block', async () => {
      const file = encryptCoretex(key, randomBytes(100)).subarray(0, 16 + 50)
      expect(() => decryptCoretex(key, file)).toThrow(hasName('CoretexFormatError'))
      await expect(collect(decryptCoretexStream(key, [file]))).rejects.toThrow(
        hasName('CoretexFormatError'),
      )
    })

    it.each([
      ['not base64', 'not a key!'],
      ['16 bytes', randomBytes(16).toString('base64')],
      ['empty', '  '],
    ])('throws CoretexKeyError for a project key that is %s', (_, text) => {
      expect(() => parseCoretexProjectKey(text)).toThrow(hasName('CoretexKeyError'))
    })

    it('accepts a base64 project key with surrounding whitespace', () => {
      expect(Buffer.from(parseCoretexProjectKey(`\n ${key.toString('base64')}\n`))).toEqual(key)
    })
  })
})
