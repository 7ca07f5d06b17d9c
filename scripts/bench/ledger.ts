/**
 * The ledger on the in-process Hardhat network: contract calls against plain ETH
 * transfers on the same chain, batched access records against one transaction per
 * record, and audit-timeline decoding against raw getLogs.
 */
import { id, type Signer } from 'ethers'
import { deployLedger, startInProcessChain } from '../../dev-chain/index.ts'
import { createMasterKeyRecord, deriveMasterKey } from '../../protocol/crypto/index.ts'
import { identityIdOf, Ledger, projectTimeline } from '../../protocol/ledger/index.ts'
import { type BenchOptions, type BenchResult, ratioResult } from './measure.ts'

const FAST = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } } as const

async function perSecond(count: number, work: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now()
  for (let i = 0; i < count; i++) await work(i)
  return count / ((performance.now() - started) / 1000)
}

const records = (n: number, offset: number) =>
  Array.from({ length: n }, (_, i) => ({
    objectId: id(`o${offset + i}`),
    accessor: identityIdOf('bench-user'),
    action: 0,
    at: offset + i,
  }))

export async function benchLedger(options: BenchOptions): Promise<BenchResult[]> {
  const chain = await startInProcessChain()
  try {
    const owner = await chain.provider.getSigner(0)
    const nodeSigner = await chain.provider.getSigner(1)
    const ledger = await Ledger.connect(owner, await deployLedger(owner))
    const node = ledger.as(nodeSigner)
    await ledger.registerIdentity(
      'user',
      createMasterKeyRecord(await deriveMasterKey('pw', 'bench-user', FAST)),
    )
    await node.registerIdentity(
      'node',
      createMasterKeyRecord(await deriveMasterKey('pw', 'bench-node', FAST)),
      'peer',
    )
    const project = await ledger.createProject('bench', 0)
    await ledger.allowMeasurement(project, id('m'))
    await ledger.recordGrant(project, 'bench-node', 1, 'ab'.repeat(32), id('m'))
    const to = await nodeSigner.getAddress()
    const transfer = (signer: Signer) =>
      signer.sendTransaction({ to, value: 1n }).then(tx => tx.wait())

    const rounds = options.quick ? 3 : 5
    const perRound = options.quick ? 30 : 80
    const grants = { ours: [] as number[], baseline: [] as number[] }
    const singles = { ours: [] as number[], baseline: [] as number[] }
    const batched = { ours: [] as number[], baseline: [] as number[] }
    for (let round = 0; round < rounds; round++) {
      grants.baseline.push(await perSecond(perRound, () => transfer(owner)))
      grants.ours.push(
        await perSecond(perRound, () =>
          ledger.recordGrant(project, 'bench-user', 1, 'cd'.repeat(32)),
        ),
      )
      singles.baseline.push(await perSecond(perRound, () => transfer(nodeSigner)))
      singles.ours.push(
        await perSecond(perRound, i =>
          node.recordAccessBatch(project, 'bench-node', records(1, i)),
        ),
      )
      // records per second: batches of 100 against one record per transaction
      batched.baseline.push(singles.ours.at(-1)!)
      const batches = options.quick ? 3 : 10
      batched.ours.push(
        100 *
          (await perSecond(batches, i =>
            node.recordAccessBatch(project, 'bench-node', records(100, i * 100)),
          )),
      )
    }

    // a project with 10 000 access records (100 batches of 100), then its timeline
    const target = options.quick ? 2_000 : 10_000
    const fresh = await ledger.createProject('bench-audit', 0)
    await ledger.allowMeasurement(fresh, id('m'))
    await ledger.recordGrant(fresh, 'bench-node', 1, 'ab'.repeat(32), id('m'))
    for (let i = 0; i < target / 100; i++)
      await node.recordAccessBatch(fresh, 'bench-node', records(100, 1_000_000 + i * 100))
    const filter = ledger.projects.filters.ProjectAccessBatchRecorded!(fresh)
    const query = { ours: [] as number[], baseline: [] as number[] }
    for (let round = 0; round < rounds; round++) {
      let started = performance.now()
      const logs = await ledger.projects.queryFilter(filter, ledger.deployment.fromBlock)
      const decoded = logs.reduce(
        (n, log) => n + (ledger.projects.interface.parseLog(log)!.args.records as unknown[]).length,
        0,
      )
      query.baseline.push(decoded / ((performance.now() - started) / 1000))
      started = performance.now()
      const page = await projectTimeline(ledger, fresh, {
        kinds: ['ProjectAccessBatchRecorded'],
        limit: 1_000_000,
      })
      const count = page.entries.reduce((n, e) => n + (e.args.records as unknown[]).length, 0)
      query.ours.push(count / ((performance.now() - started) / 1000))
    }

    const throughput = (o: number, b: number) => o / b
    return [
      ratioResult(
        {
          id: 'ledger.grant.vs_transfer',
          baseline: 'plain ETH transfers, same chain and client (tx/s)',
          target: null,
          sampleUnit: 'tx/s',
        },
        grants,
        throughput,
      ),
      ratioResult(
        {
          id: 'ledger.access_single.vs_transfer',
          baseline: 'plain ETH transfers, same chain and client (tx/s)',
          target: null,
          sampleUnit: 'tx/s',
        },
        singles,
        throughput,
      ),
      ratioResult(
        {
          id: 'ledger.access_batched.vs_single',
          baseline: 'one access record per transaction (records/s)',
          target: '>= 10',
          sampleUnit: 'records/s',
        },
        batched,
        throughput,
      ),
      ratioResult(
        {
          id: `ledger.timeline_${target / 1000}k_records.vs_getlogs`,
          baseline: 'raw queryFilter + parseLog of the same batches (records/s)',
          target: null,
          sampleUnit: 'records/s',
        },
        query,
        throughput,
      ),
    ]
  } finally {
    await chain.close()
  }
}
