/**
 * Stats and linear jobs end to end on real nodes and a chain with the real Groth16 verifiers:
 * upload (committed, sealed, replicated), submit (sealed spec, gossipsub, on chain), a node
 * claims, fetches, proves, records; the submitter gets the sealed result, verified; the
 * result survives the node's restart; outsiders are refused.
 */

import { keccak256 } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AwaitResultOptions,
  announceJob,
  awaitJobResult,
  awaitStatsResult,
  prepareStatsJob,
  sealJson,
  submitJob,
  submitStatsJob,
  trailReportMarkdown,
  type UploadedDataset,
  uploadNumericDataset,
  verifyProjectTrail,
} from '../client/sdk/index.ts'
import { createProjectKey, openSealedBox } from '../protocol/crypto/index.ts'
import { JOB_KINDS } from '../protocol/job-kinds/index.ts'
import { identityIdOf, projectIdOf } from '../protocol/ledger/index.ts'
import {
  jobResultPurpose,
  type PeerClient,
  type StorageNode,
  specContext,
} from '../protocol/wire/index.ts'
import { eventually } from './eventually.ts'
import { type Account, type Fixture, startFixture } from './ledger-fixture.ts'
import {
  grantKeyToNodes,
  startClient,
  startNodes,
  stopNodes,
  type TestNode,
} from './node-network.ts'

const SIZE = 8
const refused = (code: string) => expect.objectContaining({ name: 'PeerRefusedError', code })

describe('stats jobs on real nodes', () => {
  let fixture: Fixture
  let accounts: Record<string, Account>
  let nodes: TestNode[]
  let alice: PeerClient
  let bob: PeerClient
  let storage: StorageNode[]
  let dataset: UploadedDataset
  const project = 'jobs'
  const projectId = projectIdOf(project)
  const projectKey = createProjectKey(project)
  const values = Array.from({ length: 20 }, (_, i) => BigInt((i * 37) % 100))

  beforeAll(async () => {
    fixture = await startFixture({ verifier: { statsSize: SIZE, linearRecords: 8 } })
    accounts = fixture.accounts
    const owner = accounts.alice!.ledger
    for (const name of ['alice', 'bob', 'carol'])
      await accounts[name]!.ledger.registerIdentity('user', accounts[name]!.record)
    await owner.createProject(project, 0)
    await owner.grantRole(projectId, 'member', accounts.bob!.address)
    nodes = await startNodes([accounts.node1!, accounts.node2!, accounts.node3!], {
      jobs: { statsSize: SIZE, linearRecords: 8, watchIntervalMs: 500 },
    })
    await owner.allowMeasurement(projectId, nodes[0]!.node.measurement)
    alice = await startClient(accounts.alice!, nodes[0]!)
    await grantKeyToNodes(owner, alice, nodes, projectKey)
    storage = nodes.map(n => ({ identity: n.account.name, peerId: n.node.peerId }))
    bob = await startClient(accounts.bob!, nodes[1]!)
  }, 180_000)

  afterAll(async () => {
    await alice?.stop()
    await bob?.stop()
    await stopNodes(nodes ?? [])
    await fixture?.chain.close()
  })

  it('uploads a numeric dataset: chunks sealed and replicated, the root on chain', async () => {
    const progress: number[] = []
    dataset = await uploadNumericDataset({
      client: alice,
      ledger: accounts.alice!.ledger,
      projectKey,
      project,
      dataset: 'spend',
      values,
      chunkSize: SIZE,
      storage,
      onProgress: done => progress.push(done),
    })
    expect(progress).toEqual([1, 2, 3])
    expect(dataset.manifest.holders).toHaveLength(2)
    expect(
      await accounts.alice!.ledger.datasetRoot(
        projectId,
        (await import('../protocol/ledger/index.ts')).datasetIdOf('spend'),
      ),
    ).toBe(dataset.root)
  })

  /** bob, a member, submits a stats job over the dataset. */
  const submitAsBob = (threshold: bigint) =>
    submitStatsJob({
      client: bob,
      ledger: accounts.bob!.ledger,
      projectKey,
      project,
      dataset,
      threshold,
      submitter: 'bob',
    })

  /** bob awaits, opens and checks the result of his job. */
  const bobAwaits = (jobId: string, options: Partial<AwaitResultOptions> = {}) => ({
    client: bob,
    ledger: accounts.bob!.ledger,
    jobId,
    key: accounts.bob!.key,
    storage,
    timeoutMs: 120_000,
    ...options,
  })
  const resultForBob = (jobId: string, options: Partial<AwaitResultOptions> = {}) =>
    awaitStatsResult(bobAwaits(jobId, options))

  it('a member submits a stats job; a node proves it, the chain accepts it, the member gets a verified result', async () => {
    const jobId = await submitAsBob(50n)
    const phases: string[] = []
    const result = await resultForBob(jobId, {
      onPhase: phase => phases.at(-1) !== phase && phases.push(phase),
    })
    const kept = values.filter(v => v >= 50n)
    expect(result.count).toBe(BigInt(kept.length))
    expect(result.sum).toBe(kept.reduce((a, v) => a + v, 0n))
    expect(result.sumOfSquares).toBe(kept.reduce((a, v) => a + v * v, 0n))
    expect(result.proofs).toHaveLength(3)
    expect(Object.keys(result.phases)).toEqual(
      expect.arrayContaining(['assigned', 'fetching', 'proving', 'recording']),
    )
    const onChain = await accounts.alice!.ledger.job(jobId)
    expect(onChain).toMatchObject({ status: 'completed', nodeId: identityIdOf(result.node) })

    // the result stays retrievable after the node that ran it restarts
    const ran = nodes.find(n => n.account.name === result.node)!
    await ran.node.stop()
    await ran.restart()
    const again = await bob.jobStatus(ran.node.peerId, jobId)
    expect(again.phase).toBe('delivered')
    // the same sealed result, opened by bob: the totals he was given before the restart
    const reopened = JSON.parse(
      Buffer.from(
        openSealedBox(accounts.bob!.key.privateKey, again.result!, jobResultPurpose(jobId)),
      ).toString('utf8'),
    )
    expect(reopened).toMatchObject({
      jobId,
      count: String(kept.length),
      sum: String(result.sum),
      sumOfSquares: String(result.sumOfSquares),
      threshold: '50',
    })
    // alice is a member but not the submitter: she sees the phase, not the result
    const seenByAlice = await alice.jobStatus(ran.node.peerId, jobId)
    expect(seenByAlice.phase).toBe('delivered')
    expect(seenByAlice.result).toBeUndefined()
    // carol has no role in the project
    const carol = await startClient(accounts.carol!, nodes[0]!)
    try {
      await expect(carol.jobStatus(ran.node.peerId, jobId)).rejects.toThrow(refused('unauthorized'))
      // nor hold a long poll open on it (refused before any wait)
      await expect(
        carol.jobStatus(ran.node.peerId, jobId, { waitWhile: 'delivered', waitMs: 5_000 }),
      ).rejects.toThrow(refused('unauthorized'))
      // nor may she put a job in front of a node directly, and a malformed offer is named
      const offer = { v: 1, jobId, project, spec: 'AAAA', at: Date.now() }
      await expect(
        carol.offerJob(ran.node.peerId, Buffer.from(JSON.stringify(offer))),
      ).rejects.toThrow(refused('unauthorized'))
      await expect(carol.offerJob(ran.node.peerId, Buffer.from('{"v":2}'))).rejects.toThrow(
        refused('malformed'),
      )
    } finally {
      await carol.stop()
    }
  }, 180_000)

  it('a long poll on a job: the node answers once the phase changes, and refuses a wait past its limit', async () => {
    const jobId = await submitAsBob(5n)
    const node = await eventually(
      async () => {
        const job = await accounts.bob!.ledger.job(jobId)
        const holder = storage.find(n => identityIdOf(n.identity) === job?.nodeId)
        const answer = holder && (await bob.jobStatus(holder.peerId, jobId))
        return answer?.phase === 'proving' && holder
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'the job in proving' },
    )
    // proving 3 chunks takes a fraction of the 5 s asked for: the answer is the next phase
    const answer = await bob.jobStatus(node.peerId, jobId, { waitWhile: 'proving', waitMs: 5_000 })
    expect(['recording', 'delivered']).toContain(answer.phase)
    await expect(
      bob.jobStatus(node.peerId, jobId, { waitWhile: 'proving', waitMs: 5_001 }),
    ).rejects.toThrow(refused('malformed'))
    expect((await resultForBob(jobId)).count).toBe(BigInt(values.filter(v => v >= 5n).length))
  }, 120_000)

  const failures = async (jobId: string) => {
    const jobs = accounts.alice!.ledger.jobs
    const events = await jobs.queryFilter(jobs.filters.JobFailed!(jobId))
    return events.map(e => {
      const { reason, nodeId } = (e as unknown as { args: { reason: string; nodeId: string } }).args
      return { reason, nodeId }
    })
  }

  it('a member runs a linear model over records: one proven output per record, the model sealed', async () => {
    // 10 records of 4 features: 2 chunks of 8 records, the second short
    const records = Array.from({ length: 10 }, (_, r) =>
      [r, 2 * r, (r * 7) % 5, 100 - r].map(BigInt),
    )
    const features = await uploadNumericDataset({
      client: alice,
      ledger: accounts.alice!.ledger,
      projectKey,
      project,
      dataset: 'customers',
      values: records.flat(),
      chunkSize: 8,
      features: 4,
      storage,
    })
    const model = { weights: [3n, -1n, 0n, 2n], bias: -50n }
    const jobId = await submitJob({
      client: bob,
      ledger: accounts.bob!.ledger,
      projectKey,
      project,
      dataset: features,
      params: { kind: 'linear', model },
      submitter: 'bob',
    })
    expect((await accounts.bob!.ledger.job(jobId))!.kind).toBe(JOB_KINDS.linear)
    const result = await awaitJobResult(bobAwaits(jobId))
    expect(result.kind).toBe('linear')
    if (result.kind !== 'linear') return
    expect(result.outputs).toEqual(
      records.map(x => x.reduce((y, v, i) => y + v * model.weights[i]!, model.bias)),
    )
    expect(result.proofs).toHaveLength(2)
    // awaiting it as a stats job is refused, naming the kind
    await expect(resultForBob(jobId)).rejects.toMatchObject({
      name: 'JobResultMismatchError',
      message: expect.stringContaining('it is a linear job, not stats'),
    })
  })

  it('a member runs a small neural network (dense, ReLU, dense) over records: proven outputs, the model sealed', async () => {
    // 6 records of 4 features: 2 chunks of 4 records (the mlp circuit's size), the second short
    const records = Array.from({ length: 6 }, (_, r) => [r, 3 * r, (r * 5) % 7, 20 - r].map(BigInt))
    const mlpRecords = await uploadNumericDataset({
      client: alice,
      ledger: accounts.alice!.ledger,
      projectKey,
      project,
      dataset: 'customers-mlp',
      values: records.flat(),
      chunkSize: 4,
      features: 4,
      storage,
    })
    // unit 1 is negative for every record (ReLU zeroes it): only unit 0 and the bias count
    const model = {
      hiddenWeights: [
        [2n, -1n, 3n, 1n],
        [-5n, -5n, -5n, -5n],
      ],
      hiddenBiases: [-10n, -1n],
      outputWeights: [7n, 100n],
      outputBias: 3n,
    }
    const jobId = await submitJob({
      client: bob,
      ledger: accounts.bob!.ledger,
      projectKey,
      project,
      dataset: mlpRecords,
      params: { kind: 'mlp', model },
      submitter: 'bob',
    })
    expect((await accounts.bob!.ledger.job(jobId))!.kind).toBe(JOB_KINDS.mlp)
    const result = await awaitJobResult(bobAwaits(jobId))
    expect(result.kind).toBe('mlp')
    if (result.kind !== 'mlp') return
    const relu = (v: bigint) => (v > 0n ? v : 0n)
    expect(result.outputs).toEqual(
      records.map(([a, b, c, d]) => 7n * relu(2n * a! - b! + 3n * c! + d! - 10n) + 3n),
    )
    expect(result.proofs).toHaveLength(2)
    expect(result.proofs.every(p => p.circuit === 'mlp')).toBe(true)
  }, 180_000)

  it('a node stopped mid-job hands it back on chain, and another node completes it', async () => {
    const jobId = await submitAsBob(10n)
    const assigned = await eventually(
      async () => {
        const job = await accounts.bob!.ledger.job(jobId)
        expect(job?.status, 'completed before the test could stop its node').not.toBe('completed')
        return job?.status === 'assigned' && job.nodeId
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'a claim of the job' },
    )
    const first = nodes.find(n => identityIdOf(n.account.name) === assigned)!
    await first.node.stop()
    try {
      const result = await resultForBob(jobId)
      expect(result.node).not.toBe(first.account.name)
      expect(result.count).toBe(BigInt(values.filter(v => v >= 10n).length))
      const failed = await failures(jobId)
      expect(failed).toContainEqual(expect.objectContaining({ nodeId: assigned }))
      expect(failed[0]!.reason).toMatch(/stopping/)
    } finally {
      await first.restart()
    }
  }, 180_000)

  it('a node that took a job and went silent is failed by the submitter; another node completes it', async () => {
    const dave = accounts.dave!
    await dave.ledger.registerIdentity('node', dave.record, 'silent-peer')
    await accounts.alice!.ledger.recordGrant(
      projectId,
      'dave',
      1,
      'ab'.repeat(32),
      nodes[0]!.node.measurement,
    )
    const job = prepareStatsJob({ projectKey, project, dataset, threshold: 30n, submitter: 'bob' })
    await accounts.bob!.ledger.submitJob(
      job.jobId,
      projectId,
      JOB_KINDS.stats,
      job.specHash,
      job.inputCommitment,
    )
    await dave.ledger.assignJob(job.jobId, 'dave')
    await announceJob(bob, job)
    const result = await resultForBob(job.jobId, {
      retryAfterMs: 1_500,
      reannounce: () => announceJob(bob, job),
    })
    expect(result.count).toBe(BigInt(values.filter(v => v >= 30n).length))
    const failed = await failures(job.jobId)
    expect(failed).toContainEqual(expect.objectContaining({ nodeId: identityIdOf('dave') }))
    expect(failed[0]!.reason).toMatch(/no answer from/)
  }, 180_000)

  it('a job its submitter takes back from a slow node goes back to the watch list of that node, and is completed', async () => {
    const jobId = await submitAsBob(40n)
    let slow: TestNode | undefined
    await eventually(async () => {
      const job = await accounts.bob!.ledger.job(jobId)
      slow = nodes.find(n => identityIdOf(n.account.name) === job?.nodeId)
      return (await slow?.node.runner?.record(jobId))?.phase === 'proving'
    }, 60_000)
    await accounts.bob!.ledger.failJob(jobId, 'too slow for bob')
    const result = await resultForBob(jobId)
    expect(result.count).toBe(BigInt(values.filter(v => v >= 40n).length))
    // the slow node finished proving, found the job gone, and watches it again: not failed
    await eventually(async () => {
      const record = await slow!.node.runner!.record(jobId)
      return record?.phase === 'announced' || record?.phase === 'delivered'
    }, 60_000)
    expect(await failures(jobId)).toContainEqual({
      reason: 'too slow for bob',
      nodeId: identityIdOf(slow!.account.name),
    })
  }, 180_000)

  it('a forged announcement of a real job id is claimed by no node; the spec the chain recorded is the one run', async () => {
    const job = prepareStatsJob({ projectKey, project, dataset, threshold: 60n, submitter: 'bob' })
    await accounts.bob!.ledger.submitJob(
      job.jobId,
      projectId,
      JOB_KINDS.stats,
      job.specHash,
      job.inputCommitment,
    )
    // alice holds the project key: she seals another spec under bob's job id (threshold 0)
    // and hands it to every node before bob announces his
    const forgedSpec = {
      jobId: job.jobId,
      project,
      dataset: dataset.dataset,
      manifest: dataset.manifest,
      submitter: 'bob',
      kind: 'stats',
      threshold: '0',
    }
    const forged = sealJson(projectKey, specContext(project, job.jobId), forgedSpec)
    const refusedBefore = nodes.map(n => n.node.metrics.refusals('job', 'spec-mismatch'))
    await announceJob(
      alice,
      { ...job, sealed: forged, specHash: keccak256(forged) },
      { nodes: storage },
    )
    await eventually(
      () =>
        nodes.every((n, i) => n.node.metrics.refusals('job', 'spec-mismatch') > refusedBefore[i]!),
      { what: 'every node refusing the forged announcement' },
    )
    expect((await accounts.bob!.ledger.job(job.jobId))!.status).toBe('submitted')
    for (const n of nodes) expect(await n.node.runner!.record(job.jobId)).toBeUndefined()
    // bob's own announcement then runs, with his threshold
    await announceJob(bob, job, { nodes: storage })
    const result = await resultForBob(job.jobId, { expected: { kind: 'stats', threshold: 60n } })
    expect(result.threshold).toBe(60n)
    // bob holds the result to the spec he sealed, not to what the node says it ran
    await expect(
      resultForBob(job.jobId, { expected: { kind: 'stats', threshold: 0n } }),
    ).rejects.toMatchObject({
      name: 'JobResultMismatchError',
      message: expect.stringContaining('the node ran threshold 60, not 0'),
    })
    expect(result.count).toBe(BigInt(values.filter(v => v >= 60n).length))
    expect(await failures(job.jobId)).toEqual([])
  }, 180_000)

  it('an auditor re-checks the whole trail from the chain: every job proof and access batch', async () => {
    for (const n of nodes) await n.node.accessLog.flush()
    const report = await verifyProjectTrail(accounts.carol!.ledger, projectId)
    const jobs = report.checks.filter(c => c.subject === 'job')
    expect(jobs).toHaveLength(8)
    expect(jobs.every(c => c.ok && /proofs valid/.test(c.detail))).toBe(true)
    expect(
      jobs.filter(c => c.detail.startsWith('linear over 2 chunk(s), 10 outputs')),
    ).toHaveLength(1)
    expect(jobs.filter(c => c.detail.startsWith('mlp over 2 chunk(s), 6 outputs'))).toHaveLength(1)
    expect(report.checks.some(c => c.subject === 'access-batch')).toBe(true)
    expect(report.failed).toBe(0)
    expect(trailReportMarkdown(report, project)).toContain(`${report.passed} passed, 0 failed`)
  }, 120_000)
  it("a result outlives the node that ran it: copies on the dataset's other holders answer for it, and only that node may hand one over", async () => {
    const jobId = await submitAsBob(10n)
    const first = await resultForBob(jobId)
    const ran = nodes.find(n => n.account.name === first.node)!
    const holders = dataset.manifest.holders.filter(h => h.identity !== ran.account.name)
    // the copies are made right after delivery: each other holder soon answers with the result
    for (const holder of holders)
      await eventually(
        async () => (await bob.jobStatus(holder.peerId, jobId)).result !== undefined,
        {
          what: `a copy of the result on ${holder.identity}`,
          timeoutMs: 30_000,
        },
      )
    const copy = nodes.find(n => n.account.name === holders[0]!.identity)!
    const sealed = (await bob.jobStatus(copy.node.peerId, jobId)).result!
    // a member who is not a node may not hand a result over, nor may a node that did not run it
    await expect(
      alice.keepJobResult(copy.node.peerId, { jobId, project, submitter: 'bob' }, sealed),
    ).rejects.toThrow(refused('unauthorized'))
    const bystander = nodes.find(n => n !== ran && n !== copy)!
    await expect(
      copy.node.runner!.keepResult(
        bystander.account.name,
        { jobId, project, submitter: 'bob' },
        sealed,
      ),
    ).rejects.toMatchObject({ name: 'RequestRefusedError', code: 'unauthorized' })

    // the node that ran it is gone for good: bob's wait reads a copy, verified as before
    await ran.node.stop()
    try {
      const again = await resultForBob(jobId, { timeoutMs: 30_000 })
      expect([again.node, again.count, again.sum, again.sumOfSquares]).toEqual([
        first.node,
        first.count,
        first.sum,
        first.sumOfSquares,
      ])
      expect(again.proofs).toEqual(first.proofs)
    } finally {
      await ran.restart()
    }
  }, 180_000)
})
