import { generateKeyPairSync, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { openSealedBox, sealToPublicKey } from './sealed-box.ts'

const hasName = (name: string) => expect.objectContaining({ name })
const alice = generateKeyPairSync('rsa', { modulusLength: 2048 })
const bob = generateKeyPairSync('rsa', { modulusLength: 2048 })

describe('sealed box', () => {
  it('round-trips payloads of any size, far beyond what RSA-OAEP takes directly', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 5000 }),
        fc.string({ minLength: 1 }),
        (payload, purpose) => {
          expect(
            openSealedBox(
              alice.privateKey,
              sealToPublicKey(alice.publicKey, payload, purpose),
              purpose,
            ),
          ).toEqual(Buffer.from(payload))
        },
      ),
      { numRuns: 30 },
    )
  })

  it('throws UnwrapError when opened with another private key', () => {
    const box = sealToPublicKey(alice.publicKey, randomBytes(10), 'x')
    expect(() => openSealedBox(bob.privateKey, box, 'x')).toThrow(hasName('UnwrapError'))
  })

  it('throws UnwrapError when opened for another purpose', () => {
    const box = sealToPublicKey(alice.publicKey, randomBytes(10), 'secret a')
    expect(() => openSealedBox(alice.privateKey, box, 'secret b')).toThrow(hasName('UnwrapError'))
  })

  it('throws EnvelopeAuthError when the payload was altered', () => {
    const box = Buffer.from(sealToPublicKey(alice.publicKey, randomBytes(10), 'x'))
    box[box.length - 20]! ^= 1
    expect(() => openSealedBox(alice.privateKey, box, 'x')).toThrow(hasName('EnvelopeAuthError'))
  })

  it('throws EnvelopeFormatError for bytes that are not a box or are cut short', () => {
    expect(() => openSealedBox(alice.privateKey, randomBytes(50), 'x')).toThrow(
      hasName('EnvelopeFormatError'),
    )
    const box = sealToPublicKey(alice.publicKey, randomBytes(10), 'x')
    expect(() => openSealedBox(alice.privateKey, box.subarray(0, 100), 'x')).toThrow(
      hasName('EnvelopeFormatError'),
    )
  })
})
