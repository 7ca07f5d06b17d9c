import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createProjectKey,
  rotateProjectKey,
  unwrapProjectKey,
  wrapProjectKey,
} from '../../protocol/crypto/index.ts'
import { ProjectKeyring } from './project-keys.ts'

const me = generateKeyPairSync('rsa', { modulusLength: 2048 })

describe('ProjectKeyring', () => {
  it('keeps each version of a project key wrapped, and loads it back', async () => {
    const keyring = new ProjectKeyring(await mkdtemp(join(tmpdir(), 'sealnet-keyring-')))
    const v1 = createProjectKey('acme churn/ü')
    const v2 = rotateProjectKey(v1)
    await keyring.save(wrapProjectKey(v1, me.publicKey))
    await keyring.save(wrapProjectKey(v2, me.publicKey))
    const loaded = await keyring.load('acme churn/ü', 1)
    expect(unwrapProjectKey(loaded!, me.privateKey).key).toEqual(v1.key)
    expect((await keyring.load('acme churn/ü', 2))!.version).toBe(2)
    expect(await keyring.load('acme churn/ü', 3)).toBeUndefined()
    expect(await keyring.load('other', 1)).toBeUndefined()
  })

  it('refuses a damaged file instead of returning half a key', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'sealnet-keyring-'))
    const keyring = new ProjectKeyring(folder)
    await writeFile(join(folder, `${Buffer.from('acme').toString('hex')}.v1.json`), '{"projectId":')
    await expect(keyring.load('acme', 1)).rejects.toThrow(
      expect.objectContaining({ name: 'InvalidInputError' }),
    )
  })
})
