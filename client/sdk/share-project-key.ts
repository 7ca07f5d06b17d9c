/**
 * Sharing a project key with a teammate or authorizing a node: look the grantee up in
 * the identity directory (verified record), then re-wrap to its registered public key.
 * An identity with no registered key is refused before anything is wrapped.
 * @module
 */
import type { KeyObject } from 'node:crypto'
import {
  importPublicKey,
  rewrapProjectKey,
  type WrappedProjectKey,
} from '../../protocol/crypto/index.ts'
import { type IdentityDirectory, requireIdentity } from './identity-directory.ts'

/**
 * @example const grant = await shareProjectKey(directory, myWrappedKey, me.privateKey, 'bob@acme.example')
 */
export async function shareProjectKey(
  directory: IdentityDirectory,
  ownWrappedKey: WrappedProjectKey,
  ownPrivateKey: KeyObject,
  granteeIdentity: string,
): Promise<WrappedProjectKey> {
  const record = await requireIdentity(directory, granteeIdentity)
  return rewrapProjectKey(ownWrappedKey, ownPrivateKey, importPublicKey(record.publicKey))
}
