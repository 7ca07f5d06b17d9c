/**
 * `sealnet node init` and `sealnet node start` as an operator runs them: on an anvil
 * chain started by `sealnet chain start`, with the secret from the environment.
 */
import { mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveMasterKey } from '../protocol/crypto/index.ts'
import { PeerClient } from '../protocol/wire/index.ts'
import { type Running, startSealnet, stopSealnet } from './cli-processes.ts'
import { freePort } from './free-port.ts'
import { runSealnet } from './run-sealnet.ts'

const SECRET = { SEALNET_NODE_SECRET: 'node-a operator secret' }

describe('sealnet node init / start (CLI)', () => {
  let home: string
  let chain: Running
  let p2pPort: number
  let metricsPort: number
  let init: { peerId: string; measurement: string; account: string; config: string }

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'sealnet-node-cli-'))
    chain = await startSealnet(
      ['--home', home, 'chain', 'start', '--port', String(await freePort())],
      'press Ctrl-C',
    )
    p2pPort = await freePort()
    metricsPort = await freePort()
  }, 120_000)

  afterAll(async () => {
    if (chain) await stopSealnet(chain)
  })

  it('init derives the key, funds and registers the node, and writes its config', async () => {
    const r = await runSealnet(
      [
        '--home',
        home,
        '--json',
        'node',
        'init',
        '--identity',
        'node-a',
        '--listen',
        `/ip4/127.0.0.1/tcp/${p2pPort}`,
        '--metrics-port',
        String(metricsPort),
        '--accept-owner',
        'alice@acme.example',
        '--project-quota',
        '5GiB',
      ],
      { env: SECRET },
    )
    expect(r.stderr).not.toContain('unexpected')
    expect(r.code).toBe(0)
    init = JSON.parse(r.stdout)
    expect(init.peerId).toMatch(/^12D3KooW/)
    expect(init.measurement).toMatch(/^0x[0-9a-f]{64}$/)
    expect(init.account).toMatch(/^0x[0-9a-fA-F]{40}$/)
    // the operator's consent and per-project quota are kept in the config
    expect(JSON.parse(await readFile(init.config, 'utf8'))).toMatchObject({
      acceptOwners: ['alice@acme.example'],
      projectQuotaBytes: 5 * 2 ** 30,
    })
  })

  it('swarm-key writes a pre-shared key once and refuses to overwrite it', async () => {
    const file = join(home, 'swarm.key')
    expect((await runSealnet(['node', 'swarm-key', file])).code).toBe(0)
    const key = await readFile(file, 'utf8')
    expect(key).toMatch(/^\/key\/swarm\/psk\/1\.0\.0\/\n\/base16\/\n[0-9a-f]{64}$/)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    const again = await runSealnet(['node', 'swarm-key', file])
    expect(again.code).toBe(1)
    expect(await readFile(file, 'utf8')).toBe(key)
  })

  it('init asks the operator which projects the node serves: owners, or any, not both or neither', async () => {
    const other = await mkdtemp(join(tmpdir(), 'sealnet-node-consent-'))
    for (const choice of [[], ['--accept-owner', 'alice', '--accept-any-owner']]) {
      const r = await runSealnet(
        ['--home', other, 'node', 'init', '--identity', 'node-b', ...choice],
        {
          env: SECRET,
        },
      )
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('say which projects this node serves')
    }
  })

  it('init refuses to overwrite an existing config', async () => {
    const r = await runSealnet(['--home', home, 'node', 'init', '--identity', 'node-a'], {
      env: SECRET,
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('[OutputExistsError]')
  })

  it('start refuses a wrong secret and a missing one, naming the problem', async () => {
    const wrong = await runSealnet(['--home', home, 'node', 'start'], {
      env: { SEALNET_NODE_SECRET: 'guess' },
    })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('[WrongMasterPasswordError]')
    const missing = await runSealnet(['--home', home, 'node', 'start'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('SEALNET_NODE_SECRET')
  })

  it('start serves attestation, health and metrics, stops on SIGTERM, and restarts as the same peer', async () => {
    let node = await startSealnet(['--home', home, 'node', 'start'], 'press Ctrl-C', SECRET)
    try {
      expect(node.stderr).toContain(init.peerId)
      expect(node.stderr).toContain('serves      projects owned by alice@acme.example')
      const health = await (await fetch(`http://127.0.0.1:${metricsPort}/health`)).json()
      expect(health).toMatchObject({
        status: 'ok',
        identity: 'node-a',
        peerId: init.peerId,
        shards: 0,
      })
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
      expect(metrics).toContain('sealnet_bytes_stored 0')

      const auditor = await deriveMasterKey('x', 'auditor', {
        bits: 2048,
        kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 },
      })
      const client = new PeerClient({
        key: auditor,
        bootstrap: [`/ip4/127.0.0.1/tcp/${p2pPort}/p2p/${init.peerId}`],
      })
      await client.start()
      try {
        expect((await client.attest(init.peerId)).measurement).toBe(init.measurement)
      } finally {
        await client.stop()
      }
      expect(await stopSealnet(node, 'SIGTERM')).toBe(0)
      expect(node.stderr).toContain('node node-a stopped')
      expect(node.stdout).toContain('"msg":"node started"')

      node = await startSealnet(['--home', home, 'node', 'start'], 'press Ctrl-C', SECRET)
      expect(node.stderr).toContain(init.peerId)
    } finally {
      await stopSealnet(node)
    }
  })
})
