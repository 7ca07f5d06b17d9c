import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { deriveCoretexNodeKey } from './derive-node-key.ts'
import { openCoretexSecretField } from './secret-field.ts'

const hasName = (name: string) => expect.objectContaining({ name })
const node = deriveCoretexNodeKey('test')
const field = (text: string) =>
  publicEncrypt(
    { key: node.publicKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(text, 'utf8'),
  ).toString('base64')

describe('openCoretexSecretField', () => {
  it('opens a field encrypted to a derived node key, including non-ASCII text', () => {
    expect(openCoretexSecretField(node.privateKey, field('AKIA… mot de passe ✓'))).toBe(
      'AKIA… mot de passe ✓',
    )
  })

  it('throws CoretexSecretError with another key (not the random bytes OpenSSL would return)', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
    expect(() => openCoretexSecretField(other.privateKey, field('hunter2'))).toThrow(
      hasName('CoretexSecretError'),
    )
  })

  it('throws CoretexSecretError for a field that is not base64', () => {
    expect(() => openCoretexSecretField(node.privateKey, 'not/base64!')).toThrow(
      hasName('CoretexSecretError'),
    )
  })
})
