/**
 * Writes test/vectors/masterkey.json: the known answers that pin master-key derivation
 * v1. Run once when a derivation version is introduced; after that the file must never
 * change (a changed fingerprint means users' keys changed). Usage:
 *   node scripts/make-masterkey-vectors.ts
 */
import { writeFileSync } from 'node:fs'
import { deriveMasterKey, type MasterKeyParams } from '../protocol/crypto/index.ts'

const cases: { password: string; identity: string; params: MasterKeyParams }[] = [
  {
    password: 'correct horse battery staple',
    identity: 'alice@acme.example',
    params: { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } },
  },
  {
    password: 'correct horse battery staple',
    identity: 'alice@acme.example',
    params: { bits: 3072, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } },
  },
  {
    password: 'correct horse battery staple',
    identity: 'alice@acme.example',
    params: { bits: 4096, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } },
  },
  {
    password: 'correct horse battery staple',
    identity: 'bob@acme.example',
    params: { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } },
  },
  {
    password: 'correct horse battery staple',
    identity: 'alice@acme.example',
    params: { bits: 8192, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } },
  },
  {
    password: 'pässwörd ①',
    identity: 'node-1.acme.example',
    params: { bits: 2048, kdf: { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 } },
  },
]

const valid = []
for (const c of cases) {
  const key = await deriveMasterKey(c.password, c.identity, c.params)
  valid.push({ ...c, fingerprint: key.fingerprint })
  console.log(c.identity, c.params.bits, key.fingerprint)
}
const vectors = {
  _comment:
    'Known answers for master-key derivation sealnet-mk-v1, made by scripts/make-masterkey-vectors.ts when v1 was introduced. fingerprint = SHA-256 of the SPKI DER of the derived public key. These must never change.',
  valid,
}
writeFileSync(
  new URL('../test/vectors/masterkey.json', import.meta.url),
  `${JSON.stringify(vectors, null, 2)}\n`,
)
