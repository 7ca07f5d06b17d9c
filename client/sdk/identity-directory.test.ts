import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createMasterKeyRecord,
  createProjectKey,
  deriveMasterKey,
  type MasterKey,
  type MasterKeyParams,
  unwrapProjectKey,
  wrapProjectKey,
} from '../../protocol/crypto/index.ts'
import { FileIdentityDirectory } from './identity-directory.ts'
import { shareProjectKey } from './share-project-key.ts'

const FAST: MasterKeyParams = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } }
const hasName = (name: string) => expect.objectContaining({ name })

describe('FileIdentityDirectory', () => {
  let alice: MasterKey
  let bob: MasterKey
  beforeAll(async () => {
    alice = await deriveMasterKey('a', 'alice', FAST)
    bob = await deriveMasterKey('b', 'bob', FAST)
  })

  it('registers and looks up verified records; a second registration of the same key is a no-op', async () => {
    const directory = new FileIdentityDirectory(await mkdtemp(join(tmpdir(), 'sealnet-ids-')))
    const record = createMasterKeyRecord(alice)
    await directory.register(record)
    await directory.register(createMasterKeyRecord(alice))
    expect(await directory.lookup('alice')).toEqual(record)
    expect(await directory.lookup('nobody')).toBeUndefined()
  })

  it('throws IdentityExistsError when another key is registered for a taken identity', async () => {
    const directory = new FileIdentityDirectory(await mkdtemp(join(tmpdir(), 'sealnet-ids-')))
    await directory.register(createMasterKeyRecord(alice))
    const other = await deriveMasterKey('other password', 'alice', FAST)
    await expect(directory.register(createMasterKeyRecord(other))).rejects.toThrow(
      hasName('IdentityExistsError'),
    )
  })

  it('throws MalformedRecordError when a stored record was edited on disk', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sealnet-ids-'))
    const directory = new FileIdentityDirectory(root)
    await directory.register(createMasterKeyRecord(alice))
    const [file] = await readdir(root)
    const record = JSON.parse(await readFile(join(root, file!), 'utf8'))
    await writeFile(
      join(root, file!),
      JSON.stringify({ ...record, publicKey: createMasterKeyRecord(bob).publicKey }),
    )
    await expect(directory.lookup('alice')).rejects.toThrow(hasName('MalformedRecordError'))
  })

  describe('shareProjectKey', () => {
    it('re-wraps to the registered key of the grantee', async () => {
      const directory = new FileIdentityDirectory(await mkdtemp(join(tmpdir(), 'sealnet-ids-')))
      await directory.register(createMasterKeyRecord(bob))
      const projectKey = createProjectKey('acme')
      const grant = await shareProjectKey(
        directory,
        wrapProjectKey(projectKey, alice.publicKey),
        alice.privateKey,
        'bob',
      )
      expect(grant.recipient).toBe(bob.fingerprint)
      expect(Buffer.from(unwrapProjectKey(grant, bob.privateKey).key)).toEqual(
        Buffer.from(projectKey.key),
      )
    })

    it('throws UnknownIdentityError for a grantee with no registered key', async () => {
      const directory = new FileIdentityDirectory(await mkdtemp(join(tmpdir(), 'sealnet-ids-')))
      const own = wrapProjectKey(createProjectKey('acme'), alice.publicKey)
      await expect(shareProjectKey(directory, own, alice.privateKey, 'mallory')).rejects.toThrow(
        hasName('UnknownIdentityError'),
      )
    })
  })
})
