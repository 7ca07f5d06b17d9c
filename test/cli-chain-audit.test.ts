import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { id } from 'ethers'
import { beforeAll, describe, expect, it } from 'vitest'
import { openLedger } from '../client/sdk/index.ts'
import { createMasterKeyRecord, deriveMasterKey } from '../protocol/crypto/index.ts'
import { identityIdOf } from '../protocol/ledger/index.ts'
import { startSealnet, stopSealnet } from './cli-processes.ts'
import { freePort } from './free-port.ts'
import { runSealnet } from './run-sealnet.ts'

const FAST = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } } as const

const startChain = (home: string, port: number) =>
  startSealnet(['--home', home, 'chain', 'start', '--port', String(port)], 'press Ctrl-C')

describe('sealnet chain start + sealnet audit project (CLI)', () => {
  let home: string
  let port: number
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'sealnet-chain-cli-'))
    port = await freePort()
  })

  it('refuses audit with NoChainError before any chain was started', async () => {
    const r = await runSealnet(['--home', home, 'audit', 'project', 'acme'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('[NoChainError]')
  })

  it('deploys once, records, audits, and keeps everything across a restart', async () => {
    const first = await startChain(home, port)
    expect(first.stdout).toContain('contracts deployed')
    expect(first.stdout).toContain('job proofs checked by 0x')
    const { ledger, chain, close } = await openLedger({ home }, c => c.provider.getSigner(0))
    const node = ledger.as(await chain.provider.getSigner(1))
    await node.registerIdentity(
      'node',
      createMasterKeyRecord(await deriveMasterKey('s', 'node-7', FAST)),
      'peer-7',
    )
    const project = await ledger.createProject('acme', 3600)
    await ledger.allowMeasurement(project, id('m'))
    await ledger.recordGrant(project, 'node-7', 1, 'ab'.repeat(32), id('m'))
    await node.recordAccessBatch(project, 'node-7', [
      { objectId: id('shard'), accessor: id('alice'), action: 0, at: 1_800_000_000 },
      { objectId: id('expired'), accessor: identityIdOf('node-7'), action: 2, at: 1_800_000_100 },
    ])
    await close()

    const human = await runSealnet(['--home', home, 'audit', 'project', 'acme'])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/ProjectKeyGranted\s+grantee=node-7 keyVersion=1/)
    expect(human.stdout).toContain('5 of 5 events')
    const deletions = await runSealnet(['--home', home, 'audit', 'project', 'acme', '--deletions'])
    expect(deletions.stdout).toMatch(
      /2027-01-15T08:01:40Z {2}0x[0-9a-f]{8}….{4} deleted by node-7 on node-7 \(recorded in block \d+\)\n1 deletion\n/,
    )
    const verify = await runSealnet([
      '--home',
      home,
      'audit',
      'verify',
      'acme',
      '--markdown',
      join(home, 'audit.md'),
    ])
    expect([verify.code, verify.stderr]).toEqual([0, ''])
    expect(verify.stdout).toMatch(
      /pass\s+access-batch .* 2 access record\(s\), Merkle root matches/,
    )
    expect(verify.stdout).toContain('1 passed, 0 failed')
    expect(await readFile(join(home, 'audit.md'), 'utf8')).toContain('| pass | access-batch |')
    expect(await stopSealnet(first)).toBe(0)

    const second = await startChain(home, port)
    expect(second.stdout).toContain('contracts already deployed')
    const json = await runSealnet([
      '--home',
      home,
      '--json',
      'audit',
      'project',
      'acme',
      '--kind',
      'ProjectKeyGranted',
    ])
    expect(JSON.parse(json.stdout)).toMatchObject({
      total: 1,
      entries: [{ kind: 'ProjectKeyGranted', args: { keyVersion: '1' } }],
    })
    const unknown = await runSealnet(['--home', home, 'audit', 'project', 'no-such-project'])
    expect([unknown.code, unknown.stderr.includes('[UnknownProjectError]')]).toEqual([1, true])
    expect(await stopSealnet(second)).toBe(0)
  })

  it('refuses a malformed deployment file with MalformedDeploymentError and leaves it as it was', async () => {
    const other = await mkdtemp(join(tmpdir(), 'sealnet-chain-cli-'))
    await mkdir(join(other, 'chain'))
    await writeFile(join(other, 'chain', 'deployment.json'), '{ not json')
    const r = await runSealnet([
      '--home',
      other,
      'chain',
      'start',
      '--port',
      String(await freePort()),
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('[MalformedDeploymentError]')
    expect(await readFile(join(other, 'chain', 'deployment.json'), 'utf8')).toBe('{ not json')
  })

  it('refuses an unreachable --rpc with LedgerUnreachableError', async () => {
    const r = await runSealnet([
      '--home',
      home,
      '--rpc',
      `http://127.0.0.1:${await freePort()}`,
      'audit',
      'project',
      'acme',
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('[LedgerUnreachableError]')
  })
})
