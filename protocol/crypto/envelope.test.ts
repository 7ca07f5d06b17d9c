import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import vectors from '../../test/vectors/envelope.json' with { type: 'json' }
import { ENVELOPE_HEADER_LENGTH, ENVELOPE_TAG_LENGTH } from './constants.ts'
import {
  type EnvelopeKey,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
  sealEnvelopeParts,
} from './envelope.ts'

const hasName = (name: string) => expect.objectContaining({ name })
function thrownName(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    return (err as Error).name
  }
  return 'nothing thrown'
}
const key: EnvelopeKey = {
  id: new Uint8Array(16).fill(1),
  version: 3,
  key: new Uint8Array(32).fill(2),
}
const ctx = { projectId: 'p1', objectId: 'o1', chunkIndex: 0 }

describe('envelope', () => {
  describe('vectors', () => {
    for (const v of vectors.valid) {
      it(`opens ${v.name}`, () => {
        const k = {
          id: Buffer.from(v.keyId, 'hex'),
          version: v.keyVersion,
          key: Buffer.from(v.key, 'hex'),
        }
        const opened = openEnvelope(k, v.context, Buffer.from(v.envelope, 'hex'))
        expect(Buffer.from(opened.plaintext).toString('hex')).toBe(v.plaintext)
        expect(opened.final).toBe(v.final)
      })
    }
    for (const v of vectors.invalid) {
      it(`refuses ${v.name} with ${v.error}`, () => {
        const k = {
          id: Buffer.from(v.keyId, 'hex'),
          version: v.keyVersion,
          key: Buffer.from(v.key, 'hex'),
        }
        expect(() => openEnvelope(k, v.context, Buffer.from(v.envelope, 'hex'))).toThrow(
          hasName(v.error),
        )
      })
    }
  })

  describe('sealEnvelope / openEnvelope', () => {
    it('round-trips any plaintext and context', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 4096 }),
          fc.string(),
          fc.string(),
          fc.nat(),
          fc.boolean(),
          (pt, projectId, objectId, chunkIndex, final) => {
            const context = { projectId, objectId, chunkIndex }
            const opened = openEnvelope(key, context, sealEnvelope(key, context, pt, final))
            expect(opened.plaintext).toEqual(Buffer.from(pt))
            expect(opened.final).toBe(final)
          },
        ),
      )
    })

    it('seals in parts that, joined, are an envelope (the zero-copy form writers use)', () => {
      const parts = sealEnvelopeParts(key, ctx, Buffer.from('in pieces'), false)
      expect(parts.map(p => p.length)).toEqual([ENVELOPE_HEADER_LENGTH, 9, ENVELOPE_TAG_LENGTH])
      const opened = openEnvelope(key, ctx, Buffer.concat(parts))
      expect(Buffer.from(opened.plaintext).toString()).toBe('in pieces')
      expect(opened.final).toBe(false)
    })

    it('uses a fresh nonce for every message', () => {
      const a = readEnvelopeHeader(sealEnvelope(key, ctx, new Uint8Array(8))).nonce
      const b = readEnvelopeHeader(sealEnvelope(key, ctx, new Uint8Array(8))).nonce
      expect(Buffer.from(a).equals(b)).toBe(false)
    })

    it('detects a change of any single byte and returns no plaintext', () => {
      const sealed = sealEnvelope(key, ctx, randomBytes(64))
      fc.assert(
        fc.property(
          fc.nat({ max: sealed.length - 1 }),
          fc.integer({ min: 1, max: 255 }),
          (at, xor) => {
            const bad = Uint8Array.from(sealed)
            bad[at]! ^= xor
            expect(['EnvelopeAuthError', 'EnvelopeFormatError']).toContain(
              thrownName(() => openEnvelope(key, ctx, bad)),
            )
          },
        ),
      )
    })

    it.each([
      ['another project', { ...ctx, projectId: 'p2' }],
      ['another object', { ...ctx, objectId: 'o2' }],
      ['another chunk position', { ...ctx, chunkIndex: 1 }],
    ])('throws EnvelopeAuthError when opened for %s', (_, other) => {
      expect(() => openEnvelope(key, other, sealEnvelope(key, ctx, randomBytes(10)))).toThrow(
        hasName('EnvelopeAuthError'),
      )
    })

    it('throws EnvelopeAuthError for another key, another key id or another key version', () => {
      const sealed = sealEnvelope(key, ctx, randomBytes(10))
      expect(() => openEnvelope({ ...key, key: new Uint8Array(32) }, ctx, sealed)).toThrow(
        hasName('EnvelopeAuthError'),
      )
      expect(() => openEnvelope({ ...key, id: new Uint8Array(16) }, ctx, sealed)).toThrow(
        hasName('EnvelopeAuthError'),
      )
      expect(() => openEnvelope({ ...key, version: 4 }, ctx, sealed)).toThrow(
        hasName('EnvelopeAuthError'),
      )
    })

    it('throws EnvelopeFormatError for bytes too short to be an envelope', () => {
      expect(() =>
        openEnvelope(key, ctx, new Uint8Array(ENVELOPE_HEADER_LENGTH + ENVELOPE_TAG_LENGTH - 1)),
      ).toThrow(hasName('EnvelopeFormatError'))
    })

    it('throws InvalidInputError for a key of the wrong length or a negative chunk index', () => {
      expect(() =>
        sealEnvelope({ ...key, key: new Uint8Array(16) }, ctx, new Uint8Array(1)),
      ).toThrow(hasName('InvalidInputError'))
      expect(() => sealEnvelope(key, { ...ctx, chunkIndex: -1 }, new Uint8Array(1))).toThrow(
        hasName('InvalidInputError'),
      )
    })
  })

  describe('readEnvelopeHeader', () => {
    it('reads key id, key version and final flag', () => {
      const header = readEnvelopeHeader(sealEnvelope(key, ctx, new Uint8Array(0), false))
      expect(header).toMatchObject({ version: 1, algorithm: 1, final: false, keyVersion: 3 })
      expect(Buffer.from(header.keyId)).toEqual(Buffer.from(key.id))
    })
  })
})
