import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { id } from 'ethers'
import { describe, expect, it } from 'vitest'
import { deployLedger, startAnvil, startInProcessChain } from '../dev-chain/index.ts'
import { createMasterKeyRecord, deriveMasterKey } from '../protocol/crypto/index.ts'
import { connectRpc, identityIdOf, Ledger, projectTimeline } from '../protocol/ledger/index.ts'
import { freePort } from './free-port.ts'

const FAST = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } } as const
const hasName = (name: string) => expect.objectContaining({ name })

describe('a persistent chain (anvil --state)', () => {
  it('keeps every identity, grant and record across a stop and a restart', async () => {
    const statePath = join(await mkdtemp(join(tmpdir(), 'sealnet-chain-')), 'state.json')
    const port = await freePort()
    let anvil = await startAnvil({ statePath, port })
    let chain = await connectRpc(anvil.url)
    const owner = await chain.provider.getSigner(0)
    const node = await chain.provider.getSigner(1)
    const deployment = await deployLedger(owner)
    const ledger = await Ledger.connect(owner, deployment)
    const nodeRecord = createMasterKeyRecord(await deriveMasterKey('node secret', 'node-a', FAST))
    await ledger.registerIdentity(
      'user',
      createMasterKeyRecord(await deriveMasterKey('pw', 'owner-a', FAST)),
    )
    await ledger.as(node).registerIdentity('node', nodeRecord, 'peer-a')
    const project = await ledger.createProject('persisted', 86400)
    await ledger.allowMeasurement(project, id('m'))
    await ledger.recordGrant(project, 'node-a', 1, 'ab'.repeat(32), id('m'))
    await ledger
      .as(node)
      .recordAccessBatch(project, 'node-a', [
        { objectId: id('o'), accessor: identityIdOf('owner-a'), action: 1, at: 1 },
      ])
    const before = await projectTimeline(ledger, project)
    await chain.close()
    await anvil.stop()

    anvil = await startAnvil({ statePath, port })
    chain = await connectRpc(anvil.url)
    try {
      const reopened = await Ledger.connect(chain.provider, deployment)
      expect((await reopened.identity('node-a'))?.fingerprint).toBe(nodeRecord.fingerprint)
      expect(await reopened.grantOf(project, 'node-a')).toEqual({
        keyVersion: 1,
        wrappedKeyHash: 'ab'.repeat(32),
      })
      const after = await projectTimeline(reopened, project)
      expect(after.entries.map(e => [e.kind, e.transactionHash])).toEqual(
        before.entries.map(e => [e.kind, e.transactionHash]),
      )
      expect(after.total).toBe(before.total)
    } finally {
      await chain.close()
      await anvil.stop()
    }
  })

  it('refuses an endpoint that does not answer with LedgerUnreachableError, within the timeout', async () => {
    const started = Date.now()
    await expect(connectRpc(`http://127.0.0.1:${await freePort()}`, 2000)).rejects.toThrow(
      hasName('LedgerUnreachableError'),
    )
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('refuses a chain without the contracts with LedgerNotDeployedError', async () => {
    const chain = await startInProcessChain()
    try {
      const signer = await chain.provider.getSigner(0)
      const address = await signer.getAddress()
      const bogus = {
        chainId: '31337',
        fromBlock: 0,
        identities: address,
        projects: address,
        jobs: address,
        actions: address,
        verifier: address,
      }
      await expect(Ledger.connect(signer, bogus)).rejects.toThrow(hasName('LedgerNotDeployedError'))
    } finally {
      await chain.close()
    }
  })
})
