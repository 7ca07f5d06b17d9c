import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { beforeEach, describe, expect, it } from 'vitest'
import { createProjectKey, rotateProjectKey, wrapProjectKey } from '../../protocol/crypto/index.ts'
import { projectIdOf } from '../../protocol/ledger/index.ts'
import { KeyVault } from './key-vault.ts'

const hasName = (name: string) => expect.objectContaining({ name })
const node = generateKeyPairSync('rsa', { modulusLength: 2048 })
const other = generateKeyPairSync('rsa', { modulusLength: 2048 })

describe('KeyVault', () => {
  let path: string
  beforeEach(async () => {
    path = join(await mkdtemp(join(tmpdir(), 'sealnet-vault-')), 'db')
  })

  async function started() {
    const vault = new KeyVault({ path, privateKey: node.privateKey })
    await vault.start()
    return vault
  }

  it('keeps delivered project keys across a restart and gives the latest version by default', async () => {
    let vault = await started()
    const v1 = createProjectKey('acme')
    const v2 = rotateProjectKey(v1)
    await vault.putProjectKey(wrapProjectKey(v1, node.publicKey))
    await vault.putProjectKey(wrapProjectKey(v2, node.publicKey))
    await vault.stop()
    vault = await started()
    expect(Buffer.from((await vault.projectKey('acme')).key)).toEqual(Buffer.from(v2.key))
    expect(Buffer.from((await vault.projectKey('acme', 1)).key)).toEqual(Buffer.from(v1.key))
    await vault.stop()
  })

  it('refuses a key wrapped for another node, or altered, with UnwrapError, storing nothing', async () => {
    const vault = await started()
    const key = createProjectKey('acme')
    await expect(vault.putProjectKey(wrapProjectKey(key, other.publicKey))).rejects.toThrow(
      hasName('UnwrapError'),
    )
    const wrapped = wrapProjectKey(key, node.publicKey)
    const bytes = Buffer.from(wrapped.wrapped, 'base64')
    bytes[10]! ^= 1
    await expect(
      vault.putProjectKey({ ...wrapped, wrapped: bytes.toString('base64') }),
    ).rejects.toThrow(hasName('UnwrapError'))
    await expect(vault.projectKey('acme')).rejects.toThrow(hasName('ProjectKeyNotHeldError'))
    await vault.stop()
  })

  it('seals other secrets to the node key, and crypto-shreds a project by deleting its keys', async () => {
    const vault = await started()
    const peerKey = randomBytes(64)
    await vault.putSecret('libp2p-peer-key', peerKey)
    expect(Buffer.from((await vault.getSecret('libp2p-peer-key'))!)).toEqual(peerKey)
    expect(await vault.getSecret('absent')).toBeUndefined()
    const key = createProjectKey('gone')
    await vault.putProjectKey(wrapProjectKey(key, node.publicKey))
    expect(await vault.deleteProjectKeys('gone')).toBe(1)
    await expect(vault.projectKey('gone')).rejects.toThrow(hasName('ProjectKeyNotHeldError'))
    await vault.stop()
  })

  it('writes no plaintext key bytes to disk', async () => {
    const vault = await started()
    const projectKey = createProjectKey('scan')
    const peerKey = randomBytes(32)
    await vault.putProjectKey(wrapProjectKey(projectKey, node.publicKey))
    await vault.putSecret('peer', peerKey)
    await vault.stop()
    const files = await readdir(path)
    const disk = Buffer.concat(
      await Promise.all(files.map(f => readFile(join(path, f)).catch(() => Buffer.alloc(0)))),
    )
    expect(disk.length).toBeGreaterThan(0)
    for (const secret of [Buffer.from(projectKey.key), peerKey]) {
      expect(disk.includes(secret)).toBe(false)
      expect(disk.includes(Buffer.from(secret.toString('base64')))).toBe(false)
      expect(disk.includes(Buffer.from(secret.toString('hex')))).toBe(false)
    }
  })
})

describe('KeyVault against a project named to collide', () => {
  it("refuses a key for a name with a control character, so `acme\\0x` can't shadow `acme`", async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'sealnet-vault-')), 'db')
    const vault = new KeyVault({ path, privateKey: node.privateKey })
    await vault.start()
    const victim = createProjectKey('acme')
    await vault.putProjectKey(wrapProjectKey(victim, node.publicKey))
    const attacker = wrapProjectKey(rotateProjectKey(createProjectKey('acme\0x')), node.publicKey)
    await expect(vault.putProjectKey(attacker)).rejects.toThrow(
      expect.objectContaining({ name: 'InvalidNameError', code: 'invalid-name' }),
    )
    expect(Buffer.from((await vault.projectKey('acme')).key)).toEqual(Buffer.from(victim.key))
    await vault.stop()
  })

  it('moves keys of the old name-prefixed layout, dropping one whose name is not valid', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'sealnet-vault-')), 'db')
    const victim = createProjectKey('acme')
    const attacker = rotateProjectKey(createProjectKey('acme\0x'))
    // the layout before fixed-width ids: `p!<name>\0<version>`, where `acme`'s latest-key
    // range also held `acme\0x`'s key, and reverse order returned the attacker's
    const legacy = new Level<string, string>(path, { valueEncoding: 'utf8' })
    await legacy.put('p!acme\x000000000001', JSON.stringify(wrapProjectKey(victim, node.publicKey)))
    await legacy.put(
      'p!acme\x00x\x000000000002',
      JSON.stringify(wrapProjectKey(attacker, node.publicKey)),
    )
    await legacy.close()
    const vault = new KeyVault({ path, privateKey: node.privateKey })
    await vault.start()
    expect(Buffer.from((await vault.projectKey('acme')).key)).toEqual(Buffer.from(victim.key))
    expect(Buffer.from((await vault.projectKey('acme', 1)).key)).toEqual(Buffer.from(victim.key))
    await vault.stop()
    const raw = new Level<string, string>(path, { valueEncoding: 'utf8' })
    const keys = await raw.keys().all()
    await raw.close()
    expect(keys).toEqual([`k!${projectIdOf('acme').slice(2)}!0000000001`])
  })
})
