import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openSecret, sealSecret } from '../../protocol/crypto/index.ts'
import { parseSealedSecret, SecretStore } from './secret-store.ts'

const me = generateKeyPairSync('rsa', { modulusLength: 2048 })

describe('SecretStore', () => {
  it('keeps secrets sealed per project, lists names and types, and opens them with the key', async () => {
    const store = new SecretStore(await mkdtemp(join(tmpdir(), 'sealnet-secrets-')))
    const db = { type: 'credentials', name: 'db', data: { username: 'etl', password: 'p4ss-word' } }
    await store.save('acme', sealSecret(db, me.publicKey))
    await store.save(
      'acme',
      sealSecret({ type: 'generic', name: 'api', data: { token: 't' } }, me.publicKey),
    )
    await store.save(
      'other',
      sealSecret({ type: 'generic', name: 'x', data: { a: 'b' } }, me.publicKey),
    )
    expect(await store.list('acme')).toEqual([
      { name: 'api', type: 'generic' },
      { name: 'db', type: 'credentials' },
    ])
    expect(await store.list('nothing')).toEqual([])
    expect(openSecret(await store.load('acme', 'db'), me.privateKey)).toEqual(db)
    const file = await readFile(
      join(store.folder, Buffer.from('acme').toString('hex'), 'db.json'),
      'utf8',
    )
    expect(file).not.toContain('p4ss-word')
    await expect(store.load('acme', 'missing')).rejects.toThrow(
      expect.objectContaining({ name: 'UnknownSecretError' }),
    )
  })

  it('refuses a file that is not a sealed secret', () => {
    expect(() => parseSealedSecret({ format: 'sealnet-secret-v1', type: 'nope' })).toThrow(
      expect.objectContaining({ name: 'MalformedRecordError' }),
    )
    expect(() => parseSealedSecret(null)).toThrow(
      expect.objectContaining({ name: 'MalformedRecordError' }),
    )
  })
})
