import { beforeAll, describe, expect, it } from 'vitest'
import { deriveMasterKey, type MasterKey, type MasterKeyParams } from './derive-master-key.ts'
import {
  createMasterKeyRecord,
  type MasterKeyRecord,
  openMasterKey,
  parseMasterKeyRecord,
} from './master-key-record.ts'

const FAST: MasterKeyParams = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } }
const hasName = (name: string) => expect.objectContaining({ name })

describe('master key record', () => {
  let key: MasterKey
  let record: MasterKeyRecord
  beforeAll(async () => {
    key = await deriveMasterKey('s3cret', 'alice@acme.example', FAST)
    record = createMasterKeyRecord(key)
  })

  describe('openMasterKey', () => {
    it('re-derives the recorded key from the right password', async () => {
      const opened = await openMasterKey('s3cret', record)
      expect(opened.fingerprint).toBe(record.fingerprint)
      expect(opened.privateKey.export({ type: 'pkcs8', format: 'der' })).toEqual(
        key.privateKey.export({ type: 'pkcs8', format: 'der' }),
      )
    })

    it('throws WrongMasterPasswordError for a wrong password and leaves the record as it was', async () => {
      const before = JSON.stringify(record)
      await expect(openMasterKey('s3cret!', record)).rejects.toThrow(
        hasName('WrongMasterPasswordError'),
      )
      expect(JSON.stringify(record)).toBe(before)
    })

    it('survives a JSON round trip (the record is what gets stored and registered)', async () => {
      const opened = await openMasterKey('s3cret', JSON.parse(JSON.stringify(record)))
      expect(opened.fingerprint).toBe(record.fingerprint)
    })
  })

  describe('parseMasterKeyRecord', () => {
    it('throws MalformedRecordError when the identity was changed (the signature covers it)', () => {
      expect(() => parseMasterKeyRecord({ ...record, identity: 'mallory@acme.example' })).toThrow(
        hasName('MalformedRecordError'),
      )
    })

    it('throws MalformedRecordError when the fingerprint does not match the public key', () => {
      expect(() => parseMasterKeyRecord({ ...record, fingerprint: '0'.repeat(64) })).toThrow(
        hasName('MalformedRecordError'),
      )
    })

    it('throws MalformedRecordError when the challenge was replaced', () => {
      expect(() =>
        parseMasterKeyRecord({ ...record, challenge: Buffer.alloc(32, 1).toString('base64') }),
      ).toThrow(hasName('MalformedRecordError'))
    })

    it('throws MalformedRecordError naming the field when a field is missing or of the wrong type', () => {
      expect(() =>
        parseMasterKeyRecord({ ...record, params: { bits: 1000, kdf: record.params.kdf } }),
      ).toThrow(/params\.bits/)
      expect(() => parseMasterKeyRecord({ ...record, signature: undefined })).toThrow(
        hasName('MalformedRecordError'),
      )
      expect(() => parseMasterKeyRecord(null)).toThrow(hasName('MalformedRecordError'))
    })

    it('throws MalformedRecordError for a public key that is not base64 SPKI', () => {
      expect(() => parseMasterKeyRecord({ ...record, publicKey: 'bm90IGEga2V5' })).toThrow(
        hasName('MalformedRecordError'),
      )
    })

    it('throws UnsupportedVersionError for a derivation version it does not know', () => {
      expect(() => parseMasterKeyRecord({ ...record, version: 'sealnet-mk-v9' })).toThrow(
        hasName('UnsupportedVersionError'),
      )
    })
  })
})
