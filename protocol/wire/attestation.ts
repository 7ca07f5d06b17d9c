/**
 * Node attestation (after Continuum): a node signs its measurement (the hash of its code
 * and configuration) together with the asker's fresh nonce, so an old answer can't be
 * replayed. The signature key is the node's master key as registered on the ledger;
 * whether the measurement is acceptable is the project's on-chain allowlist's call.
 * Hardware attestation would plug in here as another signer and checker.
 * @module
 */
import type { KeyObject } from 'node:crypto'
import * as z from 'zod'
import { fromBase64, signMessage, toBase64, utf8, verifySignature } from '../crypto/index.ts'

const HEX32 = /^0x[0-9a-f]{64}$/

export const AttestationSchema = z.strictObject({
  identity: z.string().min(1).max(256),
  peerId: z.string().min(1).max(128),
  /** 0x-prefixed SHA-256 of the node's code and configuration, as the allowlist stores it. */
  measurement: z.string().regex(HEX32),
  nonce: z.string().regex(HEX32),
  signature: z.string().min(1).max(2048),
})
export type Attestation = z.infer<typeof AttestationSchema>

function signedBytes(attestation: Omit<Attestation, 'signature'>): Uint8Array {
  const { identity, peerId, measurement, nonce } = attestation
  return utf8(`sealnet/attestation/v1\0${identity}\0${peerId}\0${measurement}\0${nonce}`)
}

export function signAttestation(
  key: { identity: string; privateKey: KeyObject },
  peerId: string,
  measurement: string,
  nonce: string,
): Attestation {
  const unsigned = { identity: key.identity, peerId, measurement, nonce }
  return { ...unsigned, signature: toBase64(signMessage(key.privateKey, signedBytes(unsigned))) }
}

/** True if `publicKey` signed this attestation (the measurement itself is not judged here). */
export function verifyAttestation(attestation: Attestation, publicKey: KeyObject): boolean {
  try {
    return verifySignature(
      publicKey,
      signedBytes(attestation),
      fromBase64(attestation.signature, 'signature'),
    )
  } catch {
    return false
  }
}
