/**
 * Writes test/vectors/envelope.json: envelopes made once by sealEnvelope, which every
 * later build must still open (valid) or refuse with the named error (invalid). This pins
 * the byte format. Usage: node scripts/make-envelope-vectors.ts
 */
import { writeFileSync } from 'node:fs'
import { sealEnvelope } from '../protocol/crypto/index.ts'

const key = {
  id: Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'),
  version: 7,
  key: Buffer.alloc(32, 0x42),
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const base = { key: hex(key.key), keyId: hex(key.id), keyVersion: key.version }
const ctx = { projectId: 'acme-churn', objectId: 'customers.csv', chunkIndex: 2 }
const text = Buffer.from('Sealnet envelope v1 known answer')
const sealed = sealEnvelope(key, ctx, text, true)
const edit = (at: number, value: number) => {
  const copy = Buffer.from(sealed)
  copy[at] = value
  return hex(copy)
}
const vectors = {
  _comment:
    'Made once by scripts/make-envelope-vectors.ts when envelope format 1 was introduced. Hex throughout. valid: must open to plaintext; invalid: must be refused with error.',
  valid: [
    {
      name: 'final chunk 2 of an object',
      ...base,
      context: ctx,
      envelope: hex(sealed),
      plaintext: hex(text),
      final: true,
    },
    {
      name: 'empty non-final chunk 0',
      ...base,
      context: { ...ctx, chunkIndex: 0 },
      envelope: hex(sealEnvelope(key, { ...ctx, chunkIndex: 0 }, new Uint8Array(0), false)),
      plaintext: '',
      final: false,
    },
  ],
  invalid: [
    {
      name: 'final flag cleared',
      ...base,
      context: ctx,
      envelope: edit(6, 0),
      error: 'EnvelopeAuthError',
    },
    {
      name: 'tag altered',
      ...base,
      context: ctx,
      envelope: edit(sealed.length - 1, sealed[sealed.length - 1]! ^ 1),
      error: 'EnvelopeAuthError',
    },
    {
      name: 'bad magic',
      ...base,
      context: ctx,
      envelope: edit(0, 0x58),
      error: 'EnvelopeFormatError',
    },
    {
      name: 'unknown format version',
      ...base,
      context: ctx,
      envelope: edit(4, 2),
      error: 'EnvelopeFormatError',
    },
    {
      name: 'unknown algorithm',
      ...base,
      context: ctx,
      envelope: edit(5, 9),
      error: 'EnvelopeFormatError',
    },
    {
      name: 'reserved byte set',
      ...base,
      context: ctx,
      envelope: edit(7, 1),
      error: 'EnvelopeFormatError',
    },
    {
      name: 'opened as chunk 3',
      ...base,
      context: { ...ctx, chunkIndex: 3 },
      envelope: hex(sealed),
      error: 'EnvelopeAuthError',
    },
  ],
}
writeFileSync(
  new URL('../test/vectors/envelope.json', import.meta.url),
  `${JSON.stringify(vectors, null, 2)}\n`,
)
