/** The demo, section 6: Jobs run by the nodes: statistics and a linear model proven on chain, a sum of encrypted values. */

import { id } from 'ethers'
import {
  awaitJobResult,
  awaitStatsResult,
  openSumTotal,
  recheckSumResult,
  submitJob,
  submitStatsJob,
  uploadNumericDataset,
  uploadPaillierDataset,
} from '../../client/sdk/index.ts'
import {
  generatePaillierKeys,
  paillierKeyId,
  unwrapProjectKey,
} from '../../protocol/crypto/index.ts'
import { JOB_KINDS } from '../../protocol/job-kinds/index.ts'
import { DEFAULT_VERIFIER_SIZES, jobTimeline } from '../../protocol/ledger/index.ts'
import { encodeStatsProofs, statsResultHash } from '../../protocol/proof/index.ts'
import { fetchShard, PeerClient, readPaillierDataset } from '../../protocol/wire/index.ts'
import { refused, section, step } from './progress.ts'
import type { BeforeSection6 } from './stages.ts'

export type JobsStage = Awaited<ReturnType<typeof runJobs>>

export async function runJobs(story: BeforeSection6) {
  const {
    aliceClient,
    aliceLedger,
    bob,
    bobGrant,
    bobLedger,
    nodeLedgers,
    nodeNames,
    nodes,
    projectId,
    projectKey,
    rows,
    storage,
  } = story
  section(
    '6. Jobs run by the nodes: statistics and a linear model proven on chain, a sum of encrypted values',
  )
  // the demo's job covers the first 96 customers (3 chunks of 32): each chunk is one Groth16 proof
  const CHUNK = DEFAULT_VERIFIER_SIZES.statsSize
  const spend = rows
    .slice(1, 1 + 3 * CHUNK)
    .map(row => BigInt(Math.round(Number(row.split(',')[2]) * 100)))
  /** alice uploads a committed dataset to the project's nodes. */
  const aliceUploads = (
    dataset: Pick<
      Parameters<typeof uploadNumericDataset>[0],
      'dataset' | 'values' | 'chunkSize' | 'features'
    >,
  ) =>
    uploadNumericDataset({
      client: aliceClient,
      ledger: aliceLedger,
      projectKey,
      project: 'acme-churn',
      storage,
      ...dataset,
    })
  const spendDataset = await step(
    'alice uploads monthly spend (cents) as a committed dataset: chunks of 32, salted Poseidon, sealed, each on 2 nodes; the root on chain',
    () => aliceUploads({ dataset: 'customers.csv#spend', values: spend, chunkSize: CHUNK }),
    d =>
      `root ${d.root.slice(0, 12)}…, manifest on ${d.manifest.holders.map(h => h.identity.slice(0, 6)).join(' and ')}`,
  )
  const THRESHOLD = 5000n
  const bobClient = new PeerClient({ key: bob, bootstrap: nodes[1]!.multiaddrs })
  await bobClient.start()
  const bobProjectKey = unwrapProjectKey(bobGrant, bob.privateKey)
  const jobId = await step(
    'bob (a member) submits a stats job, how many spend at least 50.00 and their sum: the spec sealed, announced over gossipsub, recorded on chain',
    () =>
      submitStatsJob({
        client: bobClient,
        ledger: bobLedger,
        projectKey: bobProjectKey,
        project: 'acme-churn',
        dataset: spendDataset,
        threshold: THRESHOLD,
        submitter: 'bob@acme.example',
      }),
    id => `job ${id.slice(0, 12)}…`,
  )
  const stats = await step(
    'a node claims it, fetches and opens the chunks, proves each (Groth16) and records the result; the verifier contract accepts it; bob opens the result sealed to him and re-checks it',
    () =>
      awaitStatsResult({
        client: bobClient,
        ledger: bobLedger,
        jobId,
        key: bob,
        storage,
        timeoutMs: 300_000,
      }),
    r =>
      `${r.node.slice(0, 6)}: count ${r.count}, sum ${(Number(r.sum) / 100).toFixed(2)}, mean ${(Number(r.sum) / 100 / Number(r.count)).toFixed(2)}; ${Object.entries(
        r.phases,
      )
        .map(([phase, ms]) => `${phase} ${((ms as number) / 1000).toFixed(1)} s`)
        .join(', ')}`,
  )
  await step(
    'the result matches plain arithmetic over the same values',
    () => {
      const kept = spend.filter(v => v >= THRESHOLD)
      if (BigInt(kept.length) !== stats.count || kept.reduce((a, v) => a + v, 0n) !== stats.sum)
        throw new Error('mismatch')
      return true
    },
    () => 'equal',
  )
  await step(
    'the chain holds the result only as salted commitments: neither the sum nor the sum of squares is in the completing transaction, each chunk proof states one commitment',
    async () => {
      const { entries } = await jobTimeline(bobLedger, jobId, { kinds: ['JobCompleted'] })
      const tx = await bobLedger.jobs.runner!.provider!.getTransaction(entries[0]!.transactionHash)
      const word = (v: bigint) => v.toString(16).padStart(64, '0')
      for (const number of [stats.sum, stats.sumOfSquares])
        if (tx!.data.includes(word(number))) throw new Error(`${number} is on chain`)
      const commitment = BigInt(stats.proofs[0]!.publicSignals[0]!)
      if (!tx!.data.includes(word(commitment))) throw new Error('no result commitment on chain')
      return stats.proofs.length
    },
    n => `${n} result commitments, no number`,
  )
  await refused(
    'a node claiming a different result for the same data is refused by the chain',
    'LedgerRevertError',
    async () => {
      const forged = id('job: forged result')
      await bobLedger.submitJob(forged, projectId, JOB_KINDS.stats, id('spec'), spendDataset.root)
      await nodeLedgers[1]!.assignJob(forged, nodeNames[1]!)
      // the result hash of another result commitment than the one proven
      const otherResult = stats.proofs.map(p => ({
        ...p,
        publicSignals: [String(BigInt(p.publicSignals[0]!) + 1n), ...p.publicSignals.slice(1)],
      }))
      await nodeLedgers[1]!.completeJob(
        forged,
        statsResultHash(otherResult),
        encodeStatsProofs(stats.proofs),
        [],
      )
    },
  )
  // a churn score per customer, y = W·x + b over (tenure, spend in cents, region, churned)
  const RECORDS = DEFAULT_VERIFIER_SIZES.linearRecords
  const customers = rows.slice(1, 1 + 2 * RECORDS).map(row => {
    const [customer, tenure, monthly, churned] = row.split(',').map(Number)
    return [tenure!, Math.round(monthly! * 100), customer! % 7, churned!].map(BigInt)
  })
  const customersDataset = await step(
    `alice uploads ${customers.length} customers as records of 4 features (tenure, spend, region, churned): chunks of ${RECORDS} records, committed and sealed`,
    () =>
      aliceUploads({
        dataset: 'customers.csv#features',
        values: customers.flat(),
        chunkSize: RECORDS,
        features: 4,
      }),
    d => `root ${d.root.slice(0, 12)}…`,
  )
  const churnModel = { weights: [-20n, 1n, 0n, 500n], bias: 1000n }
  const linearJobId = await step(
    'bob submits a linear model (a churn score W·x + b): its weights sealed in the spec, only their commitment public',
    () =>
      submitJob({
        client: bobClient,
        ledger: bobLedger,
        projectKey: bobProjectKey,
        project: 'acme-churn',
        dataset: customersDataset,
        params: { kind: 'linear', model: churnModel },
        submitter: 'bob@acme.example',
      }),
    id => `job ${id.slice(0, 12)}…`,
  )
  const scores = await step(
    'a node proves a score per customer (one Groth16 proof per chunk), the chain checks every proof; bob opens and re-checks the scores',
    async () => {
      const result = await awaitJobResult({
        client: bobClient,
        ledger: bobLedger,
        jobId: linearJobId,
        key: bob,
        storage,
        timeoutMs: 300_000,
      })
      if (result.kind !== 'linear') throw new Error(`a ${result.kind} result`)
      return result
    },
    r =>
      `${r.outputs.length} scores from ${r.node.slice(0, 6)}, the first ${r.outputs.slice(0, 4).join(', ')} …`,
  )
  await step(
    'the scores match plain arithmetic over the same records',
    () => {
      const expected = customers.map(x =>
        x.reduce((y, v, i) => y + v * churnModel.weights[i]!, churnModel.bias),
      )
      if (expected.some((y, i) => y !== scores.outputs[i])) throw new Error('mismatch')
      return true
    },
    () => 'equal',
  )
  // a sum nobody but bob can open: bonuses encrypted under his Paillier key, added by a node
  const paillier = await step(
    'bob makes a 2048-bit Paillier key for a bonus sum; its public half goes to alice',
    () => generatePaillierKeys(2048),
    keys => `key ${paillierKeyId(keys.publicKey)}`,
  )
  const bonuses = { alice: [1200n, -350n, 77n, 4100n], bob: [999n, 1n, -2000n] }
  const bonusDatasets = await step(
    'alice and bob each upload bonuses encrypted under it (each value a Paillier ciphertext, then sealed with the project key like any chunk)',
    async () => [
      await uploadPaillierDataset({
        client: aliceClient,
        ledger: aliceLedger,
        projectKey,
        project: 'acme-churn',
        dataset: 'bonus-alice',
        values: bonuses.alice,
        publicKey: paillier.publicKey,
        storage,
      }),
      await uploadPaillierDataset({
        client: bobClient,
        ledger: bobLedger,
        projectKey: bobProjectKey,
        project: 'acme-churn',
        dataset: 'bonus-bob',
        values: bonuses.bob,
        publicKey: paillier.publicKey,
        storage,
      }),
    ],
    ([a, b]) => `roots ${a!.root.slice(0, 12)}… and ${b!.root.slice(0, 12)}…`,
  )
  const sum = await step(
    'bob submits a sum over both; a node multiplies the ciphertexts it cannot read and records the hash of the encrypted total',
    async () => {
      const sumJobId = await submitJob({
        client: bobClient,
        ledger: bobLedger,
        projectKey: bobProjectKey,
        project: 'acme-churn',
        dataset: bonusDatasets[0]!,
        params: { kind: 'sum', more: [bonusDatasets[1]!] },
        submitter: 'bob@acme.example',
      })
      const result = await awaitJobResult({
        client: bobClient,
        ledger: bobLedger,
        jobId: sumJobId,
        key: bob,
        storage,
        timeoutMs: 300_000,
      })
      if (result.kind !== 'sum') throw new Error(`a ${result.kind} result`)
      return result
    },
    r => `${r.count} values added by ${r.node.slice(0, 6)}`,
  )
  await step(
    'bob re-adds the ciphertexts (a sum has no proof), opens the total with his private key; it matches plain arithmetic',
    async () => {
      const datasets = []
      for (const dataset of bonusDatasets)
        datasets.push(
          await readPaillierDataset({
            keyFor: async () => bobProjectKey,
            project: 'acme-churn',
            dataset: dataset.dataset,
            manifest: dataset.manifest,
            committedRoot: dataset.root,
            readShard: async (shardId, holders, projectId) =>
              (await fetchShard(bobClient, projectId, shardId, holders)).shard,
          }),
        )
      recheckSumResult(sum, (await bobLedger.job(sum.jobId))!, datasets)
      const total = openSumTotal(paillier.privateKey, sum)
      if (total !== [...bonuses.alice, ...bonuses.bob].reduce((a, b) => a + b))
        throw new Error('mismatch')
      return total
    },
    total => `total ${total}`,
  )
  await bobClient.stop()
  return { customers, spend, spendDataset }
}
