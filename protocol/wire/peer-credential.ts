/**
 * Peer credentials: who is behind a libp2p peer id. Noise proves which peer key is on the
 * other end of a connection; a credential, signed with the identity's master key (the
 * one registered on the ledger), binds that peer id to the identity for a while. Nodes
 * check it against the ledger, so an unregistered peer, or one presenting another peer's
 * credential, is refused.
 * @module
 */
import type { KeyObject } from 'node:crypto'
import * as z from 'zod'
import { fromBase64, signMessage, toBase64, utf8, verifySignature } from '../crypto/index.ts'
import { NameSchema } from '../names.ts'
import { MAX_CREDENTIAL_TTL_MS } from './constants.ts'

export const PeerCredentialSchema = z.strictObject({
  identity: NameSchema,
  peerId: z.string().min(1).max(128),
  expiresAt: z.number().int().positive(),
  signature: z.string().min(1).max(2048),
})
export type PeerCredential = z.infer<typeof PeerCredentialSchema>

function signedBytes(credential: Omit<PeerCredential, 'signature'>): Uint8Array {
  return utf8(
    `sealnet/peer-credential/v1\0${credential.identity}\0${credential.peerId}\0${credential.expiresAt}`,
  )
}

/**
 * @example const credential = createPeerCredential(alice, host.peerId.toString())
 */
export function createPeerCredential(
  key: { identity: string; privateKey: KeyObject },
  peerId: string,
  ttlMs = 60 * 60 * 1000,
  now = Date.now(),
): PeerCredential {
  const unsigned = {
    identity: key.identity,
    peerId,
    expiresAt: now + Math.min(ttlMs, MAX_CREDENTIAL_TTL_MS),
  }
  return { ...unsigned, signature: toBase64(signMessage(key.privateKey, signedBytes(unsigned))) }
}

/**
 * Why a credential does not prove who is on a connection, or undefined if it does.
 * `publicKey` is the identity's key as the ledger has it.
 */
export function credentialProblem(
  credential: PeerCredential,
  publicKey: KeyObject,
  remotePeerId: string,
  now = Date.now(),
): string | undefined {
  if (credential.peerId !== remotePeerId)
    return `credential was issued to peer ${credential.peerId}, not to ${remotePeerId}`
  if (credential.expiresAt <= now)
    return `credential expired at ${new Date(credential.expiresAt).toISOString()}`
  if (credential.expiresAt - now > MAX_CREDENTIAL_TTL_MS)
    return 'credential is valid for longer than 24 h'
  let signature: Uint8Array
  try {
    signature = fromBase64(credential.signature, 'signature')
  } catch {
    return 'credential signature is not base64'
  }
  return verifySignature(publicKey, signedBytes(credential), signature)
    ? undefined
    : `credential is not signed by the registered key of ${credential.identity}`
}
