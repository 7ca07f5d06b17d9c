import { execFile } from 'node:child_process'
import { constants, createHash, publicEncrypt, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { deriveCoretexNodeKey, encryptCoretex } from '../protocol/compat/coretex/index.ts'
import { runSealnet } from './run-sealnet.ts'
import vectors from './vectors/coretex.json' with { type: 'json' }

const run = promisify(execFile)
const ROOT = new URL('..', import.meta.url).pathname
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const sealnet = (args: string[], input?: string) => runSealnet(args, { input })
/** A Coretex secret field sealed to the node key of secret "test". */
const fieldFor = (text: string) =>
  publicEncrypt(
    { key: deriveCoretexNodeKey('test').publicKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(text),
  ).toString('base64')

describe('sealnet compat coretex (CLI)', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealnet-coretex-cli-'))
    await writeFile(join(dir, 'secret'), 'test\n')
  })

  it('`npm run sealnet -- compat coretex derive-key --secret-file F` prints exactly the public PEM', async () => {
    const { stdout } = await run(
      'npm',
      [
        'run',
        'sealnet',
        '--',
        'compat',
        'coretex',
        'derive-key',
        '--secret-file',
        join(dir, 'secret'),
      ],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    )
    expect(sha256(stdout)).toBe(vectors.nodeKeys[0]!.publicPemSha256)
  })

  it('--private prints exactly the PKCS#8 private PEM', async () => {
    const r = await sealnet([
      'compat',
      'coretex',
      'derive-key',
      '--secret-file',
      join(dir, 'secret'),
      '--private',
    ])
    expect(r.code).toBe(0)
    expect(sha256(r.stdout)).toBe(vectors.nodeKeys[0]!.privatePemSha256)
  })

  it('decrypt --key-file K IN OUT writes the plaintext', async () => {
    const key = randomBytes(32)
    const data = randomBytes(70_001)
    await writeFile(join(dir, 'key'), `${key.toString('base64')}\n`)
    await writeFile(join(dir, 'in.enc'), encryptCoretex(key, data))
    const r = await sealnet([
      'compat',
      'coretex',
      'decrypt',
      '--key-file',
      join(dir, 'key'),
      join(dir, 'in.enc'),
      join(dir, 'out'),
    ])
    expect(r.code).toBe(0)
    expect(await readFile(join(dir, 'out'))).toEqual(data)
  })

  it.each([
    [
      'CoretexKeyError',
      'a key file that is not a 32-byte base64 key',
      'c2hvcnQ=\n',
      randomBytes(48),
    ],
    [
      'CoretexFormatError',
      'a file shorter than an IV',
      randomBytes(32).toString('base64'),
      randomBytes(10),
    ],
    [
      'CoretexFormatError',
      'a file cut in the middle of a block',
      randomBytes(32).toString('base64'),
      randomBytes(16 + 40),
    ],
  ])('decrypt exits 1 naming %s for %s, writing nothing', async (error, _, keyText, file) => {
    await writeFile(join(dir, 'refused.key'), keyText)
    await writeFile(join(dir, 'refused.enc'), file)
    const r = await sealnet([
      'compat',
      'coretex',
      'decrypt',
      '--key-file',
      join(dir, 'refused.key'),
      join(dir, 'refused.enc'),
      join(dir, 'refused.out'),
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`[${error}]`)
    await expect(readFile(join(dir, 'refused.out'))).rejects.toThrow(/ENOENT/)
  })

  it('open-secret opens a field given as an argument or on standard input', async () => {
    const field = fieldFor('s3cr3t')
    const fromArg = await sealnet([
      'compat',
      'coretex',
      'open-secret',
      '--secret-file',
      join(dir, 'secret'),
      field,
    ])
    const fromStdin = await sealnet(
      ['compat', 'coretex', 'open-secret', '--secret-file', join(dir, 'secret')],
      `${field}\n`,
    )
    expect([fromArg.stdout, fromStdin.stdout]).toEqual(['s3cr3t\n', 's3cr3t\n'])
  })

  it('open-secret exits 1 naming CoretexSecretError with the wrong node secret', async () => {
    const field = fieldFor('s3cr3t')
    await writeFile(join(dir, 'other-secret'), 'not the secret\n')
    const r = await sealnet([
      'compat',
      'coretex',
      'open-secret',
      '--secret-file',
      join(dir, 'other-secret'),
      field,
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('[CoretexSecretError]')
  })
})
