/**
 * End-to-end stats jobs on real nodes (libp2p, LevelDB, the in-process chain with the real
 * Groth16 verifiers): submit → verified result, split into the node's phases, by dataset
 * size and node count, against the same chunks committed and proven on one machine with
 * no network and no chain (what the network path adds).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { awaitStatsResult, submitStatsJob, uploadNumericDataset } from '../../client/sdk/index.ts'
import { SealnetNode } from '../../node/sealnet-node.ts'
import {
  createMasterKeyRecord,
  createProjectKey,
  deriveMasterKey,
  importPublicKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../../protocol/crypto/index.ts'
import {
  DEFAULT_VERIFIER_SIZES,
  deployJobVerifiers,
  deployLedger,
  Ledger,
  ownWallet,
  startInProcessChain,
} from '../../protocol/ledger/index.ts'
import {
  CircuitProver,
  chunkCommitment,
  proveStats,
  randomSalt,
  releaseProverThreads,
  verifyChunkProof,
} from '../../protocol/proof/index.ts'
import { PeerClient } from '../../protocol/wire/index.ts'
import { type BenchOptions, type BenchResult, ratioResult, timeMsAsync } from './measure.ts'

const FAST = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } } as const
const SIZE = DEFAULT_VERIFIER_SIZES.statsSize

async function network(nodeCount: number) {
  const chain = await startInProcessChain()
  const dir = await mkdtemp(join(tmpdir(), 'sealnet-bench-jobs-'))
  const signers = await Promise.all([0, 1].map(i => chain.provider.getSigner(i)))
  const deployment = await deployLedger(signers[0]!, {
    verifier: await deployJobVerifiers(signers[0]!, DEFAULT_VERIFIER_SIZES),
  })
  const owner = await Ledger.connect(signers[1]!, deployment)
  const alice = await deriveMasterKey('pw', 'bench-alice', FAST)
  await owner.registerIdentity('user', createMasterKeyRecord(alice))
  const project = 'bench-jobs'
  const projectId = await owner.createProject(project, 0)
  const projectKey = createProjectKey(project)
  const nodes: SealnetNode[] = []
  const silent = pino({ level: 'silent' })
  for (let i = 0; i < nodeCount; i++) {
    const key = await deriveMasterKey('pw', `bench-node-${i}`, FAST)
    // a node's account is derived from its key, as in production: 30 nodes outnumber the dev accounts
    const ledger = owner.as(await ownWallet(chain, key.privateKey, { fund: true }))
    const node = new SealnetNode({
      key,
      dataDir: join(dir, `n${i}`),
      ledger,
      bootstrap: nodes[0]?.multiaddrs,
      logger: silent,
      jobs: { ...DEFAULT_VERIFIER_SIZES, statsSize: SIZE },
    })
    await node.start()
    await ledger.registerIdentity('node', createMasterKeyRecord(key), node.peerId)
    if (i === 0) await owner.allowMeasurement(projectId, node.measurement)
    nodes.push(node)
  }
  const client = new PeerClient({ key: alice, bootstrap: nodes[0]!.multiaddrs })
  await client.start()
  for (const [i, node] of nodes.entries()) {
    const wrapped = wrapProjectKey(
      projectKey,
      importPublicKey((await owner.identity(`bench-node-${i}`))!.publicKey),
    )
    await owner.recordGrant(
      projectId,
      `bench-node-${i}`,
      1,
      wrappedKeyDigest(wrapped),
      node.measurement,
    )
    await client.deliverProjectKey(node.peerId, wrapped)
  }
  const storage = nodes.map((n, i) => ({ identity: `bench-node-${i}`, peerId: n.peerId }))
  return {
    async run(chunks: number, label: string) {
      const values = Array.from({ length: chunks * SIZE }, (_, i) => BigInt((i * 7919) % 9000))
      let dataset: Awaited<ReturnType<typeof uploadNumericDataset>> | undefined
      const upload = await timeMsAsync(async () => {
        dataset = await uploadNumericDataset({
          client,
          ledger: owner,
          projectKey,
          project,
          dataset: label,
          values,
          chunkSize: SIZE,
          storage,
        })
      })
      let phases: Record<string, number> = {}
      const job = await timeMsAsync(async () => {
        const jobId = await submitStatsJob({
          client,
          ledger: owner,
          projectKey,
          project,
          dataset: dataset!,
          threshold: 5000n,
          submitter: 'bench-alice',
        })
        phases = (await awaitStatsResult({ client, ledger: owner, jobId, key: alice, storage }))
          .phases
      })
      return { upload, job, phases, values }
    },
    async close() {
      await client.stop()
      await Promise.all(nodes.map(n => n.stop()))
      await chain.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The same chunks committed, proven and verified in this process: no network, no chain. */
async function local(values: bigint[]): Promise<number> {
  const prover = CircuitProver.load('stats', SIZE)
  return timeMsAsync(async () => {
    for (let i = 0; i < values.length; i += SIZE) {
      const chunk = values.slice(i, i + SIZE)
      const salt = randomSalt()
      await chunkCommitment(chunk, salt, SIZE)
      await verifyChunkProof(await proveStats(prover, chunk, salt, 5000n))
    }
  })
}

export async function benchJobs(options: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  const runs = options.quick ? 1 : 3
  const plans: Array<{ nodes: number; chunks: number[] }> = options.quick
    ? [{ nodes: 3, chunks: [1, 4] }]
    : [
        { nodes: 3, chunks: [1, 4, 16] },
        { nodes: 10, chunks: [4] },
        { nodes: 30, chunks: [4] },
      ]
  for (const plan of plans) {
    const net = await network(plan.nodes)
    try {
      for (const chunks of plan.chunks) {
        const samples = { ours: [] as number[], baseline: [] as number[] }
        let last: Awaited<ReturnType<typeof net.run>> | undefined
        for (let r = 0; r < runs; r++) {
          last = await net.run(chunks, `d-${plan.nodes}-${chunks}-${r}`)
          samples.ours.push(last.upload + last.job)
          samples.baseline.push(await local(last.values))
        }
        results.push({
          ...ratioResult(
            {
              id: `jobs.stats_${chunks * SIZE}_values_${plan.nodes}_nodes.vs_local_prove`,
              baseline: `the same ${chunks} chunk(s) of ${SIZE} committed, proven and verified in one process (no network, no chain)`,
              target: null,
              sampleUnit: 'ms',
            },
            samples,
            (o, b) => o / b,
          ),
          detail: {
            upload_ms: Math.round(last!.upload),
            submit_to_result_ms: Math.round(last!.job),
            ...Object.fromEntries(
              Object.entries(last!.phases).map(([k, v]) => [`node_${k}_ms`, Math.round(v)]),
            ),
          },
        })
      }
    } finally {
      await net.close()
    }
  }
  await releaseProverThreads()
  return results
}
