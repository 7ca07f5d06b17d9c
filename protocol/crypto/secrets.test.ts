import { generateKeyPairSync } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { openSecret, sealSecret, shareSecret, validateSecret } from './secrets.ts'

const alice = generateKeyPairSync('rsa', { modulusLength: 2048 })
const bob = generateKeyPairSync('rsa', { modulusLength: 2048 })
const hasName = (name: string) => expect.objectContaining({ name })

const good = {
  credentials: {
    type: 'credentials',
    name: 'warehouse-db',
    data: { username: 'etl', password: 'hunter2' },
  },
  aws: {
    type: 'aws',
    name: 'prod',
    data: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      region: 'eu-west-1',
    },
  },
  git: {
    type: 'git',
    name: 'models.repo',
    data: { url: 'https://git.acme.example/models.git', token: 'ghp_x' },
  },
  generic: {
    type: 'generic',
    name: 'api',
    data: { endpoint: 'https://api.example', key: 'sk-live-4242' },
  },
} as const

describe('secrets', () => {
  describe('sealSecret / openSecret', () => {
    for (const [type, secret] of Object.entries(good)) {
      it(`round-trips a ${type} secret`, () => {
        const sealed = sealSecret(secret, alice.publicKey)
        expect(sealed).toMatchObject({ type, name: secret.name })
        expect(JSON.stringify(sealed)).not.toContain(Object.values(secret.data)[1] as string)
        expect(openSecret(sealed, alice.privateKey)).toEqual(secret)
      })
    }

    it('round-trips any valid credentials or generic secret (property)', () => {
      const text = fc.string({ minLength: 1 })
      const fieldName = text.filter(name => name !== '__proto__')
      const secret = fc.oneof(
        fc.record({
          type: fc.constant('credentials'),
          name: fc.constant('c'),
          data: fc.record({ username: text, password: text }),
        }),
        fc.record({
          type: fc.constant('generic'),
          name: fc.constant('g'),
          data: fc.dictionary(fieldName, fc.string(), { minKeys: 1 }),
        }),
      )
      fc.assert(
        fc.property(secret, s => {
          expect(openSecret(sealSecret(s, alice.publicKey), alice.privateKey)).toEqual(s)
        }),
        { numRuns: 40 },
      )
    })

    it('refuses a sealed secret with any byte of its box changed, with a typed error (property)', () => {
      const sealed = sealSecret(good.aws, alice.publicKey)
      const box = Buffer.from(sealed.box, 'base64')
      fc.assert(
        fc.property(
          fc.nat({ max: box.length - 1 }),
          fc.integer({ min: 1, max: 255 }),
          (at, xor) => {
            const bad = Buffer.from(box)
            bad[at]! ^= xor
            let name = 'nothing thrown'
            try {
              openSecret({ ...sealed, box: bad.toString('base64') }, alice.privateKey)
            } catch (err) {
              name = (err as Error).name
            }
            expect(['UnwrapError', 'EnvelopeAuthError', 'EnvelopeFormatError']).toContain(name)
          },
        ),
        { numRuns: 60 },
      )
    })

    it('throws UnwrapError when the type or name of a sealed secret was swapped', () => {
      const sealed = sealSecret(good.credentials, alice.publicKey)
      expect(() => openSecret({ ...sealed, name: 'other' }, alice.privateKey)).toThrow(
        hasName('UnwrapError'),
      )
    })

    it('shares with a teammate who can then open it, and the owner copy still opens', () => {
      const sealed = sealSecret(good.git, alice.publicKey)
      const shared = shareSecret(sealed, alice.privateKey, bob.publicKey)
      expect(openSecret(shared, bob.privateKey)).toEqual(good.git)
      expect(() => openSecret(shared, alice.privateKey)).toThrow(hasName('UnwrapError'))
    })
  })

  describe('validateSecret', () => {
    it.each([
      ['type', { ...good.credentials, type: 'ssh' }],
      ['name', { ...good.credentials, name: '../etc' }],
      ['data.password', { ...good.credentials, data: { username: 'etl', password: '' } }],
      [
        'data.accessKeyId',
        { ...good.aws, data: { ...good.aws.data, accessKeyId: 'lowercase-id' } },
      ],
      [
        'data.secretAccessKey',
        { ...good.aws, data: { ...good.aws.data, secretAccessKey: 'short' } },
      ],
      ['data.region', { ...good.aws, data: { ...good.aws.data, region: 'Frankfurt' } }],
      ['data.url', { ...good.git, data: { ...good.git.data, url: 'ftp://x' } }],
      ['data.token', { ...good.git, data: { url: 'https://x' } }],
      ['data', { ...good.generic, data: {} }],
    ])('names the field %s when it is wrong', (field, secret) => {
      expect(() => validateSecret(secret)).toThrow(
        expect.objectContaining({ name: 'InvalidSecretError', field }),
      )
    })

    it('refuses a generic field named __proto__ instead of dropping it silently', () => {
      const data = JSON.parse('{"__proto__": "x", "a": "b"}')
      expect(() => validateSecret({ type: 'generic', name: 'g', data })).toThrow(
        expect.objectContaining({
          name: 'InvalidSecretError',
          message: expect.stringContaining('__proto__'),
        }),
      )
    })

    it('refuses fields a type does not have (a typo must not be sealed silently)', () => {
      expect(() =>
        validateSecret({ ...good.credentials, data: { ...good.credentials.data, pasword: 'x' } }),
      ).toThrow(hasName('InvalidSecretError'))
    })
  })
})
