import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { createProjectKey } from '../../protocol/crypto/index.ts'
import { openFile, sealFile } from './sealed-file.ts'

const hasName = (name: string) => expect.objectContaining({ name })
const key = createProjectKey('acme')
const ctx = { projectId: 'acme', objectId: 'data.bin' }

describe('sealFile / openFile', () => {
  let dir: string
  let data: Buffer
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealnet-file-'))
    data = randomBytes(3.5 * 1024 * 1024)
    await writeFile(join(dir, 'in'), data)
  })

  it('round-trips a multi-chunk file and reports progress up to the full size', async () => {
    const progress: number[] = []
    await sealFile(key, ctx, join(dir, 'in'), join(dir, 'sealed'), {
      onProgress: p => progress.push(p.done),
    })
    await openFile(key, ctx, join(dir, 'sealed'), join(dir, 'out'))
    expect(await readFile(join(dir, 'out'))).toEqual(data)
    expect(progress.at(-1)).toBe(data.length)
  })

  it('leaves no output and no temporary file when the sealed file was tampered with', async () => {
    await sealFile(key, ctx, join(dir, 'in'), join(dir, 'sealed'))
    const sealed = await readFile(join(dir, 'sealed'))
    sealed[sealed.length - 100]! ^= 1
    await writeFile(join(dir, 'sealed'), sealed)
    await expect(openFile(key, ctx, join(dir, 'sealed'), join(dir, 'out'))).rejects.toThrow(
      hasName('EnvelopeAuthError'),
    )
    expect((await readdir(dir)).sort()).toEqual(['in', 'sealed'])
  })

  it('leaves no output when the sealed file was truncated at a chunk boundary', async () => {
    await sealFile(key, ctx, join(dir, 'in'), join(dir, 'sealed'))
    // 3 full chunks of 1 MiB framed: 4 + 40 + 1 MiB + 16 bytes each; drop the final one
    await truncate(join(dir, 'sealed'), 3 * (4 + 40 + 1024 * 1024 + 16))
    await expect(openFile(key, ctx, join(dir, 'sealed'), join(dir, 'out'))).rejects.toThrow(
      hasName('TruncatedObjectError'),
    )
    expect((await readdir(dir)).sort()).toEqual(['in', 'sealed'])
  })

  it('throws OutputExistsError rather than overwrite an existing file', async () => {
    await writeFile(join(dir, 'sealed'), 'keep me')
    await expect(sealFile(key, ctx, join(dir, 'in'), join(dir, 'sealed'))).rejects.toThrow(
      hasName('OutputExistsError'),
    )
    expect(await readFile(join(dir, 'sealed'), 'utf8')).toBe('keep me')
  })
})
