import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runSealnet } from './run-sealnet.ts'

const sealnet = (args: string[], env: Record<string, string> = {}) => runSealnet(args, { env })

describe('sealnet key (CLI)', () => {
  let home: string
  let passwordFile: string
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'sealnet-cli-'))
    passwordFile = join(home, 'pw')
    await writeFile(passwordFile, 'horse battery kettle marches\n')
  })

  it('init derives and registers a key, printing its fingerprint as JSON with --json', async () => {
    const r = await sealnet([
      '--home',
      home,
      '--json',
      'key',
      'init',
      '-i',
      'alice@acme.example',
      '--password-file',
      passwordFile,
    ])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      identity: 'alice@acme.example',
      bits: 2048,
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    expect(await readdir(join(home, 'identities'))).toHaveLength(1)
  })

  it('open succeeds with the right password from $SEALNET_PASSWORD', async () => {
    const r = await sealnet(['--home', home, 'key', 'open', '-i', 'alice@acme.example'], {
      SEALNET_PASSWORD: 'horse battery kettle marches',
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('opens the master key')
  })

  it('open exits 1 naming WrongMasterPasswordError for a wrong password', async () => {
    const r = await sealnet(['--home', home, 'key', 'open', '-i', 'alice@acme.example'], {
      SEALNET_PASSWORD: 'horse battery kettle marchez',
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('[WrongMasterPasswordError]')
  })

  it('show exits 1 naming UnknownIdentityError for an identity with no key', async () => {
    const r = await sealnet(['--home', home, 'key', 'show', '-i', 'nobody'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('[UnknownIdentityError]')
  })

  it('exits 2 for a usage error and explains without a stack trace', async () => {
    const r = await sealnet(['--home', home, 'key', 'init'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("required option '-i, --identity <identity>'")
    expect(r.stderr).not.toContain('    at ')
  })

  it('exits 2 when no password source exists and there is no terminal', async () => {
    const r = await sealnet(['--home', home, 'key', 'open', '-i', 'alice@acme.example'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--password-file')
  })
})
