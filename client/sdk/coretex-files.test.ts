import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { encryptCoretex } from '../../protocol/compat/coretex/index.ts'
import { createProjectKey } from '../../protocol/crypto/index.ts'
import { decryptCoretexFile, importCoretexFile } from './coretex-files.ts'
import { openFile } from './sealed-file.ts'

const coretexKey = randomBytes(32)

describe('Coretex files', () => {
  let dir: string
  let data: Buffer
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealnet-coretex-'))
    data = randomBytes(2.5 * 1024 * 1024 + 7)
    await writeFile(join(dir, 'data.enc'), encryptCoretex(coretexKey, data))
  })

  it('decrypts a multi-megabyte Coretex file to disk', async () => {
    await decryptCoretexFile(coretexKey, join(dir, 'data.enc'), join(dir, 'data'))
    expect(await readFile(join(dir, 'data'))).toEqual(data)
  })

  it('imports it into a Sealnet project: the sealed object opens to the same bytes', async () => {
    const projectKey = createProjectKey('migrated')
    const context = { projectId: 'migrated', objectId: 'data' }
    await importCoretexFile(
      coretexKey,
      join(dir, 'data.enc'),
      projectKey,
      context,
      join(dir, 'data.sealed'),
    )
    await openFile(projectKey, context, join(dir, 'data.sealed'), join(dir, 'data'))
    expect(await readFile(join(dir, 'data'))).toEqual(data)
  })

  it('leaves no output when the Coretex file is truncated mid-block', async () => {
    const file = await readFile(join(dir, 'data.enc'))
    await writeFile(join(dir, 'data.enc'), file.subarray(0, file.length - 5))
    await expect(
      decryptCoretexFile(coretexKey, join(dir, 'data.enc'), join(dir, 'data')),
    ).rejects.toThrow(expect.objectContaining({ name: 'CoretexFormatError' }))
    expect(await readdir(dir)).toEqual(['data.enc'])
  })
})
