import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_HEADER_BYTES } from './constants.ts'
import { decodeFrame, encodeFrame } from './frame.ts'

const hasName = (name: string) => expect.objectContaining({ name })
const join = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts))

describe('frames', () => {
  it('lays out u32 header length, JSON header, raw body', () => {
    const frame = join(encodeFrame({ op: 'get' }, Uint8Array.of(1, 2, 3)))
    expect(Buffer.from(frame).toString('hex')).toBe(
      `0000000c${Buffer.from('{"op":"get"}').toString('hex')}010203`,
    )
  })

  it('round-trips any header object and body', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.uint8Array(), (header, body) => {
        const frame = decodeFrame(join(encodeFrame(header, body)))
        expect(frame.header).toEqual(JSON.parse(JSON.stringify(header)))
        expect(Buffer.from(frame.body).equals(Buffer.from(body))).toBe(true)
      }),
    )
  })

  it('refuses short frames, lying lengths, non-JSON and non-object headers', () => {
    const bad = [
      Uint8Array.of(0, 0, 1),
      Uint8Array.of(0, 0, 0, 9, 0x7b),
      Uint8Array.of(0xff, 0xff, 0xff, 0xff),
      join([Uint8Array.of(0, 0, 0, 3), Buffer.from('{x}')]),
      join([Uint8Array.of(0, 0, 0, 2), Buffer.from('[]')]),
      join([Uint8Array.of(0, 0, 0, 4), Buffer.from('null')]),
    ]
    for (const bytes of bad)
      expect(() => decodeFrame(bytes)).toThrow(hasName('MalformedFrameError'))
  })

  it('refuses to send a header over the limit', () => {
    expect(() => encodeFrame({ pad: 'x'.repeat(MAX_HEADER_BYTES) })).toThrow(
      hasName('MalformedFrameError'),
    )
  })

  it('never throws anything but MalformedFrameError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), bytes => {
        try {
          decodeFrame(bytes)
        } catch (err) {
          expect(err).toEqual(hasName('MalformedFrameError'))
        }
      }),
    )
  })
})
