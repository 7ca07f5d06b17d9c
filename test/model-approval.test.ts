/**
 * Model deployment under k of n approvals, on real nodes and a chain with the real
 * verifiers: in a project with approvers, an unapproved linear or mlp model is refused by the
 * SDK before the chain and by the node that takes a job submitted around the SDK (whose
 * submitter, told why, cancels it for every node); once
 * two approvers sign its deployment and it is executed, jobs run it, and their proofs
 * state the approved commitment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  announceJob,
  approveAction,
  awaitJobResult,
  jobSetbacks,
  type ModelDeployment,
  openMlpDeployment,
  openModelDeployment,
  prepareJob,
  proposeMlpDeployment,
  proposeModelDeployment,
  submitJob,
  type UploadedDataset,
  uploadNumericDataset,
} from '../client/sdk/index.ts'
import type { ProjectKey } from '../protocol/crypto/index.ts'
import { JOB_KINDS } from '../protocol/job-kinds/index.ts'
import { projectIdOf } from '../protocol/ledger/index.ts'
import { computeMlp, type MlpModel } from '../protocol/proof/index.ts'
import type { PeerClient, StorageNode } from '../protocol/wire/index.ts'
import type { Account } from './ledger-fixture.ts'
import { type ProjectNetwork, startProjectNetwork } from './node-network.ts'

describe('linear and mlp models deployed with k of n approvals', () => {
  let net: ProjectNetwork
  let accounts: Record<string, Account>
  let alice: PeerClient
  let storage: StorageNode[]
  let projectKey: ProjectKey
  let dataset: UploadedDataset
  let deployment: ModelDeployment
  const project = 'scoring'
  const projectId = projectIdOf(project)
  const model = { weights: [2n, -1n, 0n, 5n], bias: 7n }
  const records = Array.from({ length: 5 }, (_, r) => [r, 3 * r, 1, 10 - r].map(BigInt))

  beforeAll(async () => {
    net = await startProjectNetwork({ project, circuits: { statsSize: 8, linearRecords: 8 } })
    ;({ accounts, alice, storage, projectKey } = net)
    const owner = accounts.alice!.ledger
    dataset = await uploadNumericDataset({
      client: alice,
      ledger: owner,
      projectKey,
      project,
      dataset: 'customers',
      values: records.flat(),
      chunkSize: 8,
      features: 4,
      storage,
    })
    await owner.setApprovers(projectId, [accounts.bob!.address, accounts.carol!.address], 2)
  }, 180_000)

  afterAll(() => net?.stop())

  const submit = (modelSalt?: bigint) =>
    submitJob({
      client: alice,
      ledger: accounts.alice!.ledger,
      projectKey,
      project,
      dataset,
      params: { kind: 'linear', model, modelSalt },
      submitter: 'alice',
    })

  it('refuses an unapproved model in the SDK, and on the node for a job submitted around it', async () => {
    await expect(submit()).rejects.toThrow(
      expect.objectContaining({ name: 'ModelNotApprovedError' }),
    )
    const job = prepareJob({
      projectKey,
      project,
      dataset,
      params: { kind: 'linear', model },
      submitter: 'alice',
    })
    const ledger = accounts.alice!.ledger
    await ledger.submitJob(
      job.jobId,
      projectId,
      JOB_KINDS.linear,
      job.specHash,
      job.inputCommitment,
    )
    await announceJob(alice, job, { nodes: storage })
    // the waiting submitter hears the node's reason, and withdraws the job for every node
    const waited = awaitJobResult({
      client: alice,
      ledger,
      jobId: job.jobId,
      key: accounts.alice!.key,
      storage,
      timeoutMs: 60_000,
    })
    await expect(waited).rejects.toMatchObject({
      name: 'JobRejectedError',
      message: expect.stringMatching(
        /node\d refused it \(model-not-approved: .*runs only approved models.*cancelled on chain/,
      ),
    })
    expect((await ledger.job(job.jobId))!.status).toBe('cancelled')
    const setbacks = await jobSetbacks(ledger, job.jobId)
    expect(setbacks.cancelled).toMatch(/^model-not-approved: /)
    // it stopped there: at most each node tried it once, and no node may claim it again
    expect(setbacks.failures.length).toBeGreaterThanOrEqual(1)
    expect(setbacks.failures.length).toBeLessThanOrEqual(net.nodes.length)
    await expect(accounts.node1!.ledger.assignJob(job.jobId, 'node1')).rejects.toMatchObject({
      reason: 'JobsWrongStatus',
    })
    // and waiting on it again says so at once
    await expect(
      awaitJobResult({
        client: alice,
        ledger,
        jobId: job.jobId,
        key: accounts.alice!.key,
        storage,
      }),
    ).rejects.toMatchObject({ name: 'JobCancelledError' })
  }, 120_000)

  it('runs the model once two approvers signed its deployment; the proofs state the approved commitment', async () => {
    deployment = await proposeModelDeployment(accounts.alice!.ledger, projectId, model)
    const approvals = await Promise.all(
      ['bob', 'carol'].map(n =>
        approveAction(accounts[n]!.ledger, accounts[n]!.signer, deployment.actionId),
      ),
    )
    // approved, not yet executed: still refused
    await expect(submit(BigInt(deployment.salt))).rejects.toThrow(/runs only approved models/)
    await accounts.alice!.ledger.executeAction(deployment.actionId, approvals)

    // an altered deployment file no longer matches the action
    await expect(
      openModelDeployment(accounts.alice!.ledger, { ...deployment, bias: '8' }),
    ).rejects.toThrow(/does not deploy the model this file holds/)
    const opened = await openModelDeployment(accounts.alice!.ledger, deployment)
    expect(opened.model).toEqual(model)

    const jobId = await submit(opened.salt)
    const result = await awaitJobResult({
      client: alice,
      ledger: accounts.alice!.ledger,
      jobId,
      key: accounts.alice!.key,
      storage,
      timeoutMs: 120_000,
    })
    if (result.kind !== 'linear') throw new Error(`a ${result.kind} result`)
    expect(result.outputs).toEqual(
      records.map(x => x.reduce((y, v, i) => y + v * model.weights[i]!, model.bias)),
    )
    expect(`0x${result.modelCommitment.toString(16).padStart(64, '0')}`).toBe(deployment.commitment)
    // the same weights under a fresh salt are another commitment: not approved
    await expect(submit()).rejects.toThrow(/runs only approved models/)
  }, 180_000)

  it('deploys an mlp model the same way: refused until approved, then run with the deployment salt', async () => {
    const mlp: MlpModel = {
      hiddenWeights: [
        [1n, -1n, 2n, 0n],
        [0n, 3n, 0n, -1n],
      ],
      hiddenBiases: [-3n, 4n],
      outputWeights: [5n, -2n],
      outputBias: 1n,
    }
    const ledger = accounts.alice!.ledger
    const mlpRecords = await uploadNumericDataset({
      client: alice,
      ledger,
      projectKey,
      project,
      dataset: 'customers-mlp',
      values: records.flat(),
      chunkSize: 4,
      features: 4,
      storage,
    })
    const submitMlp = (modelSalt?: bigint) =>
      submitJob({
        client: alice,
        ledger,
        projectKey,
        project,
        dataset: mlpRecords,
        params: { kind: 'mlp', model: mlp, modelSalt },
        submitter: 'alice',
      })
    await expect(submitMlp()).rejects.toThrow(
      expect.objectContaining({ name: 'ModelNotApprovedError' }),
    )
    const proposed = await proposeMlpDeployment(ledger, projectId, mlp)
    const approvals = await Promise.all(
      ['bob', 'carol'].map(n =>
        approveAction(accounts[n]!.ledger, accounts[n]!.signer, proposed.actionId),
      ),
    )
    await ledger.executeAction(proposed.actionId, approvals)
    // an altered file, or another kind's deployment file, does not open as this one
    const altered = {
      ...proposed,
      model: { ...proposed.model, output: { ...proposed.model.output, bias: '9' } },
    }
    await expect(openMlpDeployment(ledger, altered)).rejects.toThrow(
      /does not deploy the model this file holds/,
    )
    await expect(openMlpDeployment(ledger, deployment)).rejects.toThrow(
      /malformed \(expected sealnet-mlp-deployment-v1/,
    )
    const opened = await openMlpDeployment(ledger, proposed)
    expect(opened.model).toEqual(mlp)
    const jobId = await submitMlp(opened.salt)
    const result = await awaitJobResult({
      client: alice,
      ledger,
      jobId,
      key: accounts.alice!.key,
      storage,
      timeoutMs: 120_000,
    })
    if (result.kind !== 'mlp') throw new Error(`a ${result.kind} result`)
    expect(result.outputs).toEqual(computeMlp(records, mlp))
    expect(`0x${result.modelCommitment.toString(16).padStart(64, '0')}`).toBe(proposed.commitment)
  }, 180_000)
})
