import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EnvelopeKey } from './envelope.ts'
import { frameEnvelopes, openObjectToBytes, sealObject, unframeEnvelopes } from './sealed-object.ts'

const hasName = (name: string) => expect.objectContaining({ name })
const key: EnvelopeKey = { id: new Uint8Array(16).fill(9), version: 1, key: randomBytes(32) }
const ctx = { projectId: 'p', objectId: 'o' }

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of source) out.push(item)
  return out
}

describe('sealed object', () => {
  describe('sealObject / openObjectToBytes', () => {
    it('round-trips any size, including chunk boundaries, from any piece sizes', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 200 }),
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 1, max: 50 }),
          async (data, chunkSize, pieceSize) => {
            const pieces = []
            for (let i = 0; i < data.length; i += pieceSize)
              pieces.push(data.subarray(i, i + pieceSize))
            const envelopes = await collect(sealObject(key, ctx, pieces, { chunkSize }))
            expect(envelopes).toHaveLength(Math.max(1, Math.ceil(data.length / chunkSize)))
            expect(await openObjectToBytes(key, ctx, envelopes)).toEqual(Buffer.from(data))
          },
        ),
      )
    })

    it('seals an empty object as one empty final chunk', async () => {
      const envelopes = await collect(sealObject(key, ctx, new Uint8Array(0)))
      expect(envelopes).toHaveLength(1)
      expect(await openObjectToBytes(key, ctx, envelopes)).toHaveLength(0)
    })

    it('throws TruncatedObjectError when the last chunks are missing', async () => {
      const envelopes = await collect(sealObject(key, ctx, randomBytes(100), { chunkSize: 10 }))
      await expect(openObjectToBytes(key, ctx, envelopes.slice(0, 9))).rejects.toThrow(
        hasName('TruncatedObjectError'),
      )
    })

    it('throws TruncatedObjectError when data follows the final chunk', async () => {
      const envelopes = await collect(sealObject(key, ctx, randomBytes(20), { chunkSize: 10 }))
      await expect(openObjectToBytes(key, ctx, [...envelopes, envelopes[1]!])).rejects.toThrow(
        hasName('TruncatedObjectError'),
      )
    })

    it('throws EnvelopeAuthError when chunks are reordered', async () => {
      const [a, b, c] = await collect(sealObject(key, ctx, randomBytes(30), { chunkSize: 10 }))
      await expect(openObjectToBytes(key, ctx, [b!, a!, c!])).rejects.toThrow(
        hasName('EnvelopeAuthError'),
      )
    })

    it('throws EnvelopeAuthError when a chunk of another object is swapped in at the same position', async () => {
      const mine = await collect(sealObject(key, ctx, randomBytes(30), { chunkSize: 10 }))
      const theirs = await collect(
        sealObject(key, { ...ctx, objectId: 'other' }, randomBytes(30), { chunkSize: 10 }),
      )
      await expect(openObjectToBytes(key, ctx, [mine[0]!, theirs[1]!, mine[2]!])).rejects.toThrow(
        hasName('EnvelopeAuthError'),
      )
    })

    it('throws InvalidInputError for a chunk size of 0 or above the limit', async () => {
      await expect(collect(sealObject(key, ctx, randomBytes(3), { chunkSize: 0 }))).rejects.toThrow(
        hasName('InvalidInputError'),
      )
      await expect(
        collect(sealObject(key, ctx, randomBytes(3), { chunkSize: 2 ** 30 })),
      ).rejects.toThrow(hasName('InvalidInputError'))
    })
  })

  describe('frameEnvelopes / unframeEnvelopes', () => {
    it('round-trips envelopes through a byte stream cut at any points', async () => {
      const envelopes = await collect(sealObject(key, ctx, randomBytes(95), { chunkSize: 10 }))
      const bytes = Buffer.concat(await collect(frameEnvelopes(envelopes)))
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 200 }), async cut => {
          const pieces = []
          for (let i = 0; i < bytes.length; i += cut) pieces.push(bytes.subarray(i, i + cut))
          expect(await openObjectToBytes(key, ctx, unframeEnvelopes(pieces))).toEqual(
            await openObjectToBytes(key, ctx, envelopes),
          )
        }),
      )
    })

    it('throws TruncatedObjectError when the stream stops mid-frame', async () => {
      const bytes = Buffer.concat(
        await collect(frameEnvelopes(await collect(sealObject(key, ctx, randomBytes(5))))),
      )
      await expect(collect(unframeEnvelopes(bytes.subarray(0, bytes.length - 1)))).rejects.toThrow(
        hasName('TruncatedObjectError'),
      )
    })

    it('throws EnvelopeFormatError for a frame longer than the limit, before buffering it', async () => {
      const prefix = Buffer.alloc(4)
      prefix.writeUInt32BE(2 ** 31)
      await expect(collect(unframeEnvelopes(prefix, 1024))).rejects.toThrow(
        hasName('EnvelopeFormatError'),
      )
    })
  })
})
