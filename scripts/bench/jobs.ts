/**
 * End-to-end stats jobs on real nodes (libp2p, LevelDB, the in-process chain with the real
 * Groth16 verifiers): submit → verified result, split into the node's phases, by dataset
 * size and node count, against the same chunks committed and proven on one machine with
 * no network and no chain (what the network path adds).
 */
import { awaitStatsResult, submitStatsJob, uploadNumericDataset } from '../../client/sdk/index.ts'
import { DEFAULT_VERIFIER_SIZES } from '../../protocol/ledger/index.ts'
import {
  CircuitProver,
  dataChunkCommitment,
  proveStats,
  randomSalt,
  releaseProverThreads,
  verifyChunkProof,
} from '../../protocol/proof/index.ts'
import { startJobNetwork } from '../../test/job-network.ts'
import { type BenchOptions, type BenchResult, ratioResult, timeMsAsync } from './measure.ts'
import { benchOnnxJobs } from './onnx-jobs.ts'

const SIZE = DEFAULT_VERIFIER_SIZES.statsSize

async function network(nodeCount: number) {
  const net = await startJobNetwork(nodeCount, DEFAULT_VERIFIER_SIZES)
  const { client, owner, ownerKey, projectKey, project, storage } = net
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
        phases = (await awaitStatsResult({ client, ledger: owner, jobId, key: ownerKey, storage }))
          .phases
      })
      return { upload, job, phases, values }
    },
    close: () => net.close(),
  }
}

/** The same chunks committed, proven and verified in this process: no network, no chain. */
async function local(values: bigint[]): Promise<number> {
  const prover = CircuitProver.load('stats', SIZE)
  return timeMsAsync(async () => {
    for (let i = 0; i < values.length; i += SIZE) {
      const chunk = values.slice(i, i + SIZE)
      const salt = randomSalt()
      await dataChunkCommitment(chunk, chunk.length, salt, SIZE)
      await verifyChunkProof((await proveStats(prover, chunk, salt, 5000n)).proof)
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
  results.push(...(await benchOnnxJobs(options)))
  return results
}
