import { constants, generateKeyPairSync, privateDecrypt, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import forge from 'node-forge'
import { describe, expect, it } from 'vitest'
import { utf8 } from './bytes.ts'
import { openEnvelope, sealEnvelope } from './envelope.ts'
import { InvalidInputError } from './errors.ts'
import {
  createProjectKey,
  parseWrappedKeyBytes,
  projectKeysByVersion,
  rewrapProjectKey,
  rotateProjectKey,
  unwrapProjectKey,
  wrapProjectKey,
  wrappedKeyBytes,
  wrappedKeyDigest,
} from './project-key.ts'
import { exportPublicKey, importPublicKey, publicKeyFingerprint } from './rsa.ts'

const hasName = (name: string) => expect.objectContaining({ name })
const owner = generateKeyPairSync('rsa', { modulusLength: 2048 })
const teammate = generateKeyPairSync('rsa', { modulusLength: 3072 })
const node = generateKeyPairSync('rsa', { modulusLength: 2048 })

describe('project key', () => {
  it('wraps for the owner and unwraps to the same key', () => {
    const key = createProjectKey('acme')
    const unwrapped = unwrapProjectKey(wrapProjectKey(key, owner.publicKey), owner.privateKey)
    expect(unwrapped).toEqual({
      projectId: 'acme',
      version: 1,
      id: Buffer.from(key.id),
      key: Buffer.from(key.key),
    })
  })

  it('shares with a teammate: the teammate opens data the owner sealed', () => {
    const key = createProjectKey('acme')
    const sealed = sealEnvelope(
      key,
      { projectId: 'acme', objectId: 'f', chunkIndex: 0 },
      Buffer.from('q3 numbers'),
    )
    const forTeammate = rewrapProjectKey(
      wrapProjectKey(key, owner.publicKey),
      owner.privateKey,
      teammate.publicKey,
    )
    const theirKey = unwrapProjectKey(forTeammate, teammate.privateKey)
    expect(
      Buffer.from(
        openEnvelope(theirKey, { projectId: 'acme', objectId: 'f', chunkIndex: 0 }, sealed)
          .plaintext,
      ).toString(),
    ).toBe('q3 numbers')
  })

  it('throws UnwrapError when someone other than the recipient unwraps', () => {
    const wrapped = wrapProjectKey(createProjectKey('acme'), owner.publicKey)
    expect(() => unwrapProjectKey(wrapped, node.privateKey)).toThrow(hasName('UnwrapError'))
    // even with the recipient field forged, OAEP refuses
    expect(() =>
      unwrapProjectKey(
        { ...wrapped, recipient: publicKeyFingerprint(node.publicKey) },
        node.privateKey,
      ),
    ).toThrow(hasName('UnwrapError'))
  })

  it('throws UnwrapError when a wrapped key is replayed as another project or version (OAEP label)', () => {
    const wrapped = wrapProjectKey(createProjectKey('acme'), owner.publicKey)
    expect(() => unwrapProjectKey({ ...wrapped, projectId: 'other' }, owner.privateKey)).toThrow(
      hasName('UnwrapError'),
    )
    expect(() => unwrapProjectKey({ ...wrapped, version: 2 }, owner.privateKey)).toThrow(
      hasName('UnwrapError'),
    )
  })

  it('round-trips any key bytes, project id and version (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: 1, max: 2 ** 32 - 1 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (projectId, version, bytes) => {
          const key = { projectId, version, id: randomBytes(16), key: bytes }
          expect(
            Buffer.from(
              unwrapProjectKey(wrapProjectKey(key, owner.publicKey), owner.privateKey).key,
            ),
          ).toEqual(Buffer.from(bytes))
        },
      ),
      { numRuns: 40 },
    )
  })

  it('throws UnwrapError for a wrapped key with any byte changed (property)', () => {
    const wrapped = wrapProjectKey(createProjectKey('acme'), owner.publicKey)
    const bytes = Buffer.from(wrapped.wrapped, 'base64')
    fc.assert(
      fc.property(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, xor) => {
          const bad = Buffer.from(bytes)
          bad[at]! ^= xor
          expect(() =>
            unwrapProjectKey({ ...wrapped, wrapped: bad.toString('base64') }, owner.privateKey),
          ).toThrow(hasName('UnwrapError'))
        },
      ),
      { numRuns: 40 },
    )
  })

  it('rotates to a new version with the same key id and new key bytes', () => {
    const v1 = createProjectKey('acme')
    const v2 = rotateProjectKey(v1)
    expect(v2.version).toBe(2)
    expect(Buffer.from(v2.id)).toEqual(Buffer.from(v1.id))
    expect(Buffer.from(v2.key).equals(v1.key)).toBe(false)
  })

  it('is interoperable: node-forge unwraps what we wrap (RSA-OAEP SHA-256 with label)', () => {
    const key = createProjectKey('acme')
    const wrapped = wrapProjectKey(key, owner.publicKey)
    const forgeKey = forge.pki.privateKeyFromPem(
      owner.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    )
    const label = `sealnet/project-key/v1\0acme\x001\0${wrapped.keyId}`
    const plain = forgeKey.decrypt(
      Buffer.from(wrapped.wrapped, 'base64').toString('binary'),
      'RSA-OAEP',
      {
        md: forge.md.sha256.create(),
        mgf1: { md: forge.md.sha256.create() },
        label,
      },
    )
    expect(Buffer.from(plain, 'binary')).toEqual(Buffer.from(key.key))
    // and node:crypto agrees on the raw operation
    expect(
      privateDecrypt(
        {
          key: owner.privateKey,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: 'sha256',
          oaepLabel: Buffer.from(label),
        },
        Buffer.from(wrapped.wrapped, 'base64'),
      ),
    ).toEqual(Buffer.from(key.key))
  })

  it('gives a stable digest of the wrapped key for the ledger', () => {
    const wrapped = wrapProjectKey(createProjectKey('acme'), owner.publicKey)
    expect(wrappedKeyDigest(wrapped)).toMatch(/^[0-9a-f]{64}$/)
    expect(wrappedKeyDigest({ ...wrapped })).toBe(wrappedKeyDigest(wrapped))
    // it covers every field, not only the ciphertext
    expect(wrappedKeyDigest({ ...wrapped, version: 2 })).not.toBe(wrappedKeyDigest(wrapped))
    expect(wrappedKeyDigest({ ...wrapped, recipient: 'ab'.repeat(32) })).not.toBe(
      wrappedKeyDigest(wrapped),
    )
  })

  it('round-trips through its canonical bytes, whatever the field order it came in', () => {
    const wrapped = wrapProjectKey(createProjectKey('acme'), owner.publicKey)
    const { wrapped: ciphertext, ...rest } = wrapped
    const reordered = { wrapped: ciphertext, ...rest }
    expect(wrappedKeyBytes(reordered)).toEqual(wrappedKeyBytes(wrapped))
    expect(parseWrappedKeyBytes(wrappedKeyBytes(wrapped))).toEqual(wrapped)
    expect(() => parseWrappedKeyBytes(utf8('{"projectId":"p"}'))).toThrow(InvalidInputError)
    expect(() => parseWrappedKeyBytes(utf8('not json'))).toThrow(InvalidInputError)
  })
})

describe('importPublicKey', () => {
  it('round-trips through exportPublicKey', () => {
    expect(exportPublicKey(importPublicKey(exportPublicKey(owner.publicKey)))).toBe(
      exportPublicKey(owner.publicKey),
    )
  })

  it('throws InvalidInputError for keys under 2048 bits, non-RSA keys and garbage', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    expect(() => importPublicKey(exportPublicKey(small.publicKey))).toThrow(
      hasName('InvalidInputError'),
    )
    expect(() => importPublicKey(exportPublicKey(ec.publicKey))).toThrow(
      hasName('InvalidInputError'),
    )
    expect(() => importPublicKey('AAAA')).toThrow(hasName('InvalidInputError'))
  })

  it('loads each version once by keyFor, and release zeroes every key it handed out', async () => {
    const v1 = createProjectKey('acme')
    const v2 = rotateProjectKey(v1)
    const loads: number[] = []
    const keys = projectKeysByVersion(async version => {
      loads.push(version)
      return { ...(version === 1 ? v1 : v2), key: Buffer.from((version === 1 ? v1 : v2).key) }
    })
    const first = await keys.keyFor(2)
    expect(first.key).toEqual(v2.key)
    expect(await keys.keyFor(2)).toBe(first)
    const old = await keys.keyFor(1)
    expect(loads).toEqual([2, 1])
    keys.release()
    expect(first.key.every(b => b === 0)).toBe(true)
    expect(old.key.every(b => b === 0)).toBe(true)
  })
})
