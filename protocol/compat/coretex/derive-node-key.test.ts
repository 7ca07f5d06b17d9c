import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import vectors from '../../../test/vectors/coretex.json' with { type: 'json' }
import { coretexPrivatePem, coretexPublicPem, deriveCoretexNodeKey } from './derive-node-key.ts'
import { Sha256Chain } from './sha256-chain.ts'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('deriveCoretexNodeKey', () => {
  describe('matches pycryptodome RSA.generate byte for byte', () => {
    for (const v of vectors.nodeKeys) {
      it(`for secret ${JSON.stringify(v.secret)}`, () => {
        const key = deriveCoretexNodeKey(v.secret)
        expect(sha256(coretexPublicPem(key))).toBe(v.publicPemSha256)
        expect(sha256(coretexPrivatePem(key))).toBe(v.privatePemSha256)
      })
    }
  })

  it('writes PKCS#1 public and PKCS#8 private PEM with LF line endings', () => {
    const key = deriveCoretexNodeKey('test')
    expect(coretexPublicPem(key)).toMatch(
      /^-----BEGIN RSA PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END RSA PUBLIC KEY-----\n$/,
    )
    expect(coretexPrivatePem(key)).toMatch(
      /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/,
    )
  })

  it('throws InvalidInputError for a secret that is not a string', () => {
    expect(() => deriveCoretexNodeKey(42 as unknown as string)).toThrow(
      expect.objectContaining({ name: 'InvalidInputError' }),
    )
  })
})

describe('Sha256Chain', () => {
  it('reads S0 = SHA-256(secret) then S1 = SHA-256(S0), whatever the read sizes', () => {
    const s0 = createHash('sha256').update('test').digest()
    const s1 = createHash('sha256').update(s0).digest()
    const chain = new Sha256Chain('test')
    const pieces = [chain.read(1), chain.read(30), chain.read(0), chain.read(33)]
    expect(Buffer.concat(pieces)).toEqual(Buffer.concat([s0, s1]))
  })
})
