import { beforeAll, describe, expect, it } from 'vitest'
import { deriveMasterKey, type MasterKey, type MasterKeyParams } from '../crypto/index.ts'
import { signAttestation, verifyAttestation } from './attestation.ts'
import { MAX_CREDENTIAL_TTL_MS } from './constants.ts'
import { createPeerCredential, credentialProblem } from './peer-credential.ts'

const FAST: MasterKeyParams = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } }
const PEER = '12D3KooWGHu1BqAU9xzJTG2Z43RCYBc4JT6PMFjLe2MYkg2kh4nB'
const NOW = 1_800_000_000_000

describe('peer credentials and attestations', () => {
  let alice: MasterKey
  let mallory: MasterKey
  beforeAll(async () => {
    alice = await deriveMasterKey('a', 'alice', FAST)
    mallory = await deriveMasterKey('m', 'mallory', FAST)
  })

  it('a credential proves its identity for its peer id until it expires', () => {
    const credential = createPeerCredential(alice, PEER, 60_000, NOW)
    expect(credentialProblem(credential, alice.publicKey, PEER, NOW)).toBeUndefined()
    expect(credentialProblem(credential, alice.publicKey, `${PEER.slice(0, -1)}x`, NOW)).toMatch(
      /issued to peer/,
    )
    expect(credentialProblem(credential, alice.publicKey, PEER, NOW + 60_000)).toMatch(/expired/)
    expect(credentialProblem(credential, mallory.publicKey, PEER, NOW)).toMatch(/not signed by/)
  })

  it('any edited field breaks the signature; validity is capped at 24 h', () => {
    const credential = createPeerCredential(alice, PEER, 60_000, NOW)
    const renamed = { ...credential, identity: 'mallory' }
    expect(credentialProblem(renamed, alice.publicKey, PEER, NOW)).toMatch(/not signed by/)
    const extended = { ...credential, expiresAt: credential.expiresAt + 1 }
    expect(credentialProblem(extended, alice.publicKey, PEER, NOW)).toMatch(/not signed by/)
    const long = createPeerCredential(alice, PEER, 10 * MAX_CREDENTIAL_TTL_MS, NOW)
    expect(long.expiresAt).toBe(NOW + MAX_CREDENTIAL_TTL_MS)
    expect(
      credentialProblem({ ...credential, signature: '%%' }, alice.publicKey, PEER, NOW),
    ).toMatch(/not base64|not signed/)
  })

  it('an attestation binds measurement and nonce to the node key', () => {
    const measurement = `0x${'ab'.repeat(32)}`
    const nonce = `0x${'01'.repeat(32)}`
    const attestation = signAttestation(alice, PEER, measurement, nonce)
    expect(verifyAttestation(attestation, alice.publicKey)).toBe(true)
    expect(verifyAttestation(attestation, mallory.publicKey)).toBe(false)
    expect(
      verifyAttestation({ ...attestation, nonce: `0x${'02'.repeat(32)}` }, alice.publicKey),
    ).toBe(false)
    expect(
      verifyAttestation({ ...attestation, measurement: `0x${'cd'.repeat(32)}` }, alice.publicKey),
    ).toBe(false)
  })
})
