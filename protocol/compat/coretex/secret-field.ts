/**
 * Coretex secret fields: base64(RSA-PKCS1-v1_5-encrypt(UTF-8 text)) to a node or user key.
 *
 * Decrypted with node-forge, not node:crypto: since the Marvin attack fix, OpenSSL answers
 * a PKCS#1 v1.5 decryption with the wrong key with random bytes instead of an error
 * (implicit rejection), and a wrong key must be a clear error here. Forge's timing side
 * channel does not matter for a local, one-off read of one's own fields.
 * @module
 */
import type { KeyObject } from 'node:crypto'
import forge from 'node-forge'
import { CoretexSecretError } from './errors.ts'

/**
 * Opens one Coretex secret field with the private key it was encrypted to.
 * @example openCoretexSecretField(deriveCoretexNodeKey(secret).privateKey, field)
 */
export function openCoretexSecretField(privateKey: KeyObject, fieldBase64: string): string {
  const field = fieldBase64.trim()
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(field))
    throw new CoretexSecretError('the secret field is not base64')
  const key = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  )
  let bytes: string
  try {
    bytes = key.decrypt(Buffer.from(field, 'base64').toString('binary'), 'RSAES-PKCS1-V1_5')
  } catch {
    throw new CoretexSecretError(
      'the secret field does not open with this key (wrong key, or not a Coretex secret field)',
    )
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(bytes, 'binary'))
  } catch {
    throw new CoretexSecretError('the secret field opened but is not UTF-8 text')
  }
}
