import forge from 'node-forge'
import { describe, expect, it } from 'vitest'
import vectors from '../../test/vectors/masterkey.json' with { type: 'json' }
import { deriveMasterKey, type MasterKeyParams } from './derive-master-key.ts'
import { HmacDrbg } from './hmac-drbg.ts'
import { signMessage } from './rsa.ts'
import { rsaParamsFromDrbg } from './rsa-from-seed.ts'

const FAST: MasterKeyParams = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } }
const hasName = (name: string) => expect.objectContaining({ name })

describe('deriveMasterKey', () => {
  describe('known answers (sealnet-mk-v1)', () => {
    for (const v of vectors.valid) {
      it(`derives ${v.fingerprint.slice(0, 16)}… for ${v.identity} at ${v.params.bits} bits, N=${v.params.kdf.N}`, async () => {
        const key = await deriveMasterKey(v.password, v.identity, v.params as MasterKeyParams)
        expect(key.fingerprint).toBe(v.fingerprint)
        expect(key.publicKey.asymmetricKeyDetails).toMatchObject({
          modulusLength: v.params.bits,
          publicExponent: 65537n,
        })
      })
    }
  })

  it('gives the same key through the pure-JS (forge) primality path', async () => {
    const v = vectors.valid[0]!
    const key = await deriveMasterKey(v.password, v.identity, v.params as MasterKeyParams, {
      primality: 'forge',
    })
    expect(key.fingerprint).toBe(v.fingerprint)
  })

  it('makes keys that node-forge accepts as consistent RSA keys and whose signatures it verifies', async () => {
    const key = await deriveMasterKey('pw', 'carol', FAST)
    const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey
    const { n, e, d, p, q } = forgeKey
    expect(p.multiply(q).equals(n)).toBe(true)
    const lambda = p
      .subtract(forge.jsbn.BigInteger.ONE)
      .multiply(q.subtract(forge.jsbn.BigInteger.ONE))
    expect(
      e
        .multiply(d)
        .mod(
          lambda.divide(
            p.subtract(forge.jsbn.BigInteger.ONE).gcd(q.subtract(forge.jsbn.BigInteger.ONE)),
          ),
        )
        .toString(),
    ).toBe('1')
    const message = Buffer.from('checked by forge')
    const md = forge.md.sha256.create().update(message.toString('binary'))
    const publicKey = forge.pki.publicKeyFromPem(
      key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    )
    expect(
      publicKey.verify(
        md.digest().bytes(),
        Buffer.from(signMessage(key.privateKey, message)).toString('binary'),
      ),
    ).toBe(true)
  })

  it('normalises passwords (NFKC): composed and decomposed forms give one key', async () => {
    const composed = await deriveMasterKey('caf\u00e9', 'dave', FAST)
    const decomposed = await deriveMasterKey('cafe\u0301', 'dave', FAST)
    expect(decomposed.fingerprint).toBe(composed.fingerprint)
  })

  it('gives unrelated keys for another identity, password or size', async () => {
    const base = await deriveMasterKey('pw', 'erin', FAST)
    expect((await deriveMasterKey('pw', 'erin2', FAST)).fingerprint).not.toBe(base.fingerprint)
    expect((await deriveMasterKey('pw2', 'erin', FAST)).fingerprint).not.toBe(base.fingerprint)
    expect(
      (await deriveMasterKey('pw', 'erin', { ...FAST, kdf: { ...FAST.kdf, N: 2048 } })).fingerprint,
    ).not.toBe(base.fingerprint)
  })

  describe('bad parameters', () => {
    it.each([
      ['a key size not in the list', { ...FAST, bits: 1024 }],
      ['scrypt N below 2^10', { ...FAST, kdf: { ...FAST.kdf, N: 512 } }],
      ['scrypt N not a power of two', { ...FAST, kdf: { ...FAST.kdf, N: 1000 } }],
      ['scrypt r of 0', { ...FAST, kdf: { ...FAST.kdf, r: 0 } }],
      ['an unknown KDF', { ...FAST, kdf: { ...FAST.kdf, name: 'pbkdf2' } }],
    ])('throws InvalidInputError for %s', async (_, params) => {
      await expect(deriveMasterKey('pw', 'x', params as MasterKeyParams)).rejects.toThrow(
        hasName('InvalidInputError'),
      )
    })

    it('throws InvalidInputError for an empty password or identity', async () => {
      await expect(deriveMasterKey('', 'x', FAST)).rejects.toThrow(hasName('InvalidInputError'))
      await expect(deriveMasterKey('pw', '', FAST)).rejects.toThrow(hasName('InvalidInputError'))
    })
  })
})

describe('rsaParamsFromDrbg', () => {
  it('meets FIPS 186-5 A.1.3 bounds: exact size, |p−q| > 2^(k−100), d > 2^k, e·d ≡ 1', () => {
    const params = rsaParamsFromDrbg(new HmacDrbg(new Uint8Array(32).fill(3)), 2048)
    expect(params.n.toString(2)).toHaveLength(2048)
    expect(params.p > params.q).toBe(true)
    expect(params.p - params.q > 1n << 924n).toBe(true)
    expect(params.d > 1n << 1024n).toBe(true)
    expect((params.e * params.d) % (params.p - 1n)).toBe(1n)
    expect((params.qi * params.q) % params.p).toBe(1n)
  })
})
