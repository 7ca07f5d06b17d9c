/** The demo, section 1: A business derives its master key from a password. */

import {
  createMasterKeyRecord,
  deriveMasterKey,
  type MasterKey,
  openMasterKey,
} from '../../protocol/crypto/index.ts'
import { refused, section, step } from './progress.ts'
import type { BeforeSection1 } from './stages.ts'

export type OwnerKeyStage = Awaited<ReturnType<typeof deriveOwnerKey>>

export async function deriveOwnerKey(story: BeforeSection1) {
  const { directory } = story
  section('1. A business derives its master key from a password')
  const alice: MasterKey = await step(
    'alice@acme.example derives an RSA-2048 key (scrypt N=2^17, then deterministic primes)',
    () => deriveMasterKey('correct horse battery staple', 'alice@acme.example'),
    key => `fingerprint ${key.fingerprint.slice(0, 16)}…`,
  )
  await step(
    'her public record (key, signed challenge, KDF parameters) is registered on the ledger',
    () => directory.register(createMasterKeyRecord(alice)),
  )
  const record = (await directory.lookup('alice@acme.example'))!
  await step(
    'on another day, the same password re-derives the byte-identical key',
    () => openMasterKey('correct horse battery staple', record),
    key => (key.fingerprint === alice.fingerprint ? 'same fingerprint' : 'DIFFERENT'),
  )
  await refused('a wrong password is refused, nothing written', 'WrongMasterPasswordError', () =>
    openMasterKey('correct horse battery stable', record),
  )
  return { alice, record }
}
