/**
 * AI jobs on real nodes and a chain with the real verifiers: a churn model trained on a
 * sealed table, returned as ONNX, then run by the network over new sealed customers with
 * exactly the outputs ONNX Runtime gives locally; a small MLP the same way; and the models
 * no node may run (tampered, of another input width, not approved, oversized, reading a
 * file by external data) refused with typed errors.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import onnxProto from 'onnx-proto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDecimalTable } from '../client/cli/commands/numeric-column.ts'
import {
  announceJob,
  approveAction,
  awaitJobResult,
  type JobParams,
  onnxModelDataset,
  prepareJob,
  proposeOnnxModel,
  submitJob,
  type UploadedDataset,
  uploadFile,
  uploadTableDataset,
  type VerifiedJobResult,
} from '../client/sdk/index.ts'
import { fitLogistic, splitHeldOut } from '../node/training/fit-linear-models.ts'
import type { ProjectKey } from '../protocol/crypto/index.ts'
import { JOB_KINDS } from '../protocol/job-kinds/index.ts'
import { projectIdOf } from '../protocol/ledger/index.ts'
import { denseOnnxModel, runOnnxModel } from '../protocol/models/index.ts'
import {
  type PeerClient,
  type StorageNode,
  TABLE_MAX_COLUMNS,
  TABLE_MAX_DECIMALS,
  TABLE_MAX_MAGNITUDE,
} from '../protocol/wire/index.ts'
import { CHURN_FEATURES, churnCustomersCsv } from './fixtures/churn-customers.ts'
import type { Account } from './ledger-fixture.ts'
import { type ProjectNetwork, startProjectNetwork } from './node-network.ts'

const { onnx } = onnxProto
const LIMITS = {
  maxColumns: TABLE_MAX_COLUMNS,
  maxDecimals: TABLE_MAX_DECIMALS,
  maxMagnitude: TABLE_MAX_MAGNITUDE,
}

/** A parsed table's named columns as the float32 features a model reads. */
function features(table: ReturnType<typeof parseDecimalTable>, names: readonly string[]) {
  const width = table.columns.length
  const records = table.values.length / width
  const indexes = names.map(n => table.columns.indexOf(n))
  const out = new Float32Array(records * names.length)
  for (let r = 0; r < records; r++)
    indexes.forEach((c, i) => {
      out[r * names.length + i] = Number(table.values[r * width + c]!) / 10 ** table.decimals
    })
  return { values: out, records }
}

describe('AI jobs: training and ONNX inference on sealed tables', () => {
  let net: ProjectNetwork
  let accounts: Record<string, Account>
  let alice: PeerClient
  let storage: StorageNode[]
  let projectKey: ProjectKey
  let customers: UploadedDataset
  let fresh: UploadedDataset
  let dir: string
  const project = 'churn-ai'
  const projectId = projectIdOf(project)
  const training = parseDecimalTable(churnCustomersCsv(300, 1), 'customers.csv', LIMITS)
  const newcomers = parseDecimalTable(churnCustomersCsv(60, 2), 'new.csv', LIMITS, [
    ...CHURN_FEATURES,
  ])
  let trainedModel: Uint8Array

  beforeAll(async () => {
    net = await startProjectNetwork({ project, circuits: { statsSize: 8, linearRecords: 8 } })
    ;({ accounts, alice, storage, projectKey } = net)
    dir = await mkdtemp(join(tmpdir(), 'sealnet-ai-'))
    const upload = (dataset: string, table: typeof training) =>
      uploadTableDataset({
        client: alice,
        ledger: accounts.alice!.ledger,
        projectKey,
        project,
        dataset,
        storage,
        ...table,
      })
    customers = await upload('customers', training)
    fresh = await upload('new-customers', newcomers)
  }, 180_000)

  afterAll(async () => {
    await net?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const run = async (dataset: UploadedDataset, params: JobParams): Promise<VerifiedJobResult> => {
    const ledger = accounts.alice!.ledger
    const jobId = await submitJob({
      client: alice,
      ledger,
      projectKey,
      project,
      dataset,
      params,
      submitter: 'alice',
    })
    return awaitJobResult({ client: alice, ledger, jobId, key: accounts.alice!.key, storage })
  }

  const modelFile = async (name: string, bytes: Uint8Array) => {
    const path = join(dir, name)
    await writeFile(path, bytes)
    return path
  }

  const modelDataset = async (path: string, inputs = CHURN_FEATURES.length) =>
    onnxModelDataset({
      client: alice,
      ledger: accounts.alice!.ledger,
      projectKey,
      project,
      storage,
      path,
      inputs,
    })

  it('trains logistic regression on the sealed customers: accurate on held-out records, the same fit a member re-runs', async () => {
    const result = await run(customers, {
      kind: 'train-logistic',
      features: [...CHURN_FEATURES],
      target: 'churned',
    })
    if (result.kind !== 'train-logistic') throw new Error(`a ${result.kind} result`)
    expect(result.attested).toBe(true)
    expect([result.trainRecords, result.heldOutRecords]).toEqual([240, 60])
    expect(result.heldOut.accuracy).toBeGreaterThan(0.75)
    // churn falls with tenure and rises with support calls, as the data was made
    expect(result.weights[0]).toBeLessThan(0)
    expect(result.weights[2]).toBeGreaterThan(0)
    const all = features(training, [...CHURN_FEATURES, 'churned'])
    const x = new Float32Array(all.records * 3)
    const y = new Float32Array(all.records)
    for (let r = 0; r < all.records; r++) {
      x.set(all.values.subarray(r * 4, r * 4 + 3), r * 3)
      y[r] = all.values[r * 4 + 3]!
    }
    const refit = fitLogistic(x, 3, y, splitHeldOut(all.records).train)
    expect(result.weights).toEqual(refit.weights)
    expect(result.bias).toBe(refit.bias)
    trainedModel = result.onnx
  }, 120_000)

  it('runs the trained model through the network with the outputs ONNX Runtime gives locally', async () => {
    const model = await modelDataset(await modelFile('churn.onnx', trainedModel))
    expect(model.dataset).toMatch(/^model-[0-9a-f]{16}$/)
    const result = await run(fresh, { kind: 'onnx', inputs: [...CHURN_FEATURES], model })
    if (result.kind !== 'onnx') throw new Error(`a ${result.kind} result`)
    expect([result.attested, result.model, result.records]).toEqual([true, model.sha256, 60])
    const input = features(newcomers, CHURN_FEATURES)
    const local = await runOnnxModel(trainedModel, input.values, input.records, 3)
    expect(result.outputs.map(o => o.name)).toEqual(local.map(o => o.name))
    expect(Array.from(result.outputs[0]!.values)).toEqual(Array.from(local[0]!.values))
    expect(result.outputs[0]!.shape).toEqual([60, 1])
    // the same file again is the same dataset, not a second upload
    expect((await modelDataset(await modelFile('again.onnx', trainedModel))).root).toBe(model.root)
  }, 120_000)

  it('runs a small MLP (3 → 16 relu → 1 sigmoid) identically to a local run', async () => {
    const mlp = denseOnnxModel([
      {
        weights: Array.from({ length: 3 }, (_, i) =>
          Array.from({ length: 16 }, (_, o) => Math.sin(i * 16 + o) / 10),
        ),
        bias: Array.from({ length: 16 }, (_, o) => Math.cos(o) / 4),
        activation: 'relu',
      },
      {
        weights: Array.from({ length: 16 }, (_, i) => [Math.sin(i) / 3]),
        bias: [-0.5],
        activation: 'sigmoid',
      },
    ])
    const model = await modelDataset(await modelFile('mlp.onnx', mlp))
    const result = await run(fresh, { kind: 'onnx', inputs: [...CHURN_FEATURES], model })
    if (result.kind !== 'onnx') throw new Error(`a ${result.kind} result`)
    const input = features(newcomers, CHURN_FEATURES)
    const local = await runOnnxModel(mlp, input.values, input.records, 3)
    expect(Array.from(result.outputs[0]!.values)).toEqual(Array.from(local[0]!.values))
  }, 120_000)

  it('refuses in the SDK a model of another input width, an oversized one, one reading a file, bytes that are no model', async () => {
    const wide = denseOnnxModel([{ weights: [[1], [1], [1], [1]], bias: [0], activation: 'none' }])
    await expect(modelDataset(await modelFile('wide.onnx', wide))).rejects.toMatchObject({
      code: 'model-input-width',
      message: expect.stringMatching(/reads 4 features a record; the job gives it 3 columns/),
    })
    const huge = join(dir, 'huge.onnx')
    await writeFile(huge, '')
    await truncate(huge, 64 * 2 ** 20 + 1)
    await expect(modelDataset(huge)).rejects.toMatchObject({ code: 'model-too-large' })
    const decoded = onnx.ModelProto.decode(trainedModel)
    const weights = decoded.graph!.initializer![0]!
    weights.floatData = []
    weights.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL
    weights.externalData = [{ key: 'location', value: '../../keys/node.key' }]
    const reader = await modelFile('reader.onnx', onnx.ModelProto.encode(decoded).finish())
    await expect(modelDataset(reader)).rejects.toMatchObject({
      code: 'model-invalid',
      message: expect.stringMatching(/external data/),
    })
    await expect(
      modelDataset(await modelFile('junk.onnx', Buffer.from('{"weights": [1]}'))),
    ).rejects.toMatchObject({ code: 'model-invalid' })
  })

  /** A job submitted around the SDK's checks, as a modified client could: the node must refuse it. */
  const submitAround = async (params: JobParams) => {
    const ledger = accounts.alice!.ledger
    const job = prepareJob({ projectKey, project, dataset: fresh, params, submitter: 'alice' })
    await ledger.submitJob(job.jobId, projectId, JOB_KINDS.onnx, job.specHash, job.inputCommitment)
    await announceJob(alice, job, { nodes: storage })
    return awaitJobResult({
      client: alice,
      ledger,
      jobId: job.jobId,
      key: accounts.alice!.key,
      storage,
      timeoutMs: 60_000,
    })
  }

  it('has the node refuse a tampered model (not the hash the job names) and one of another width', async () => {
    const model = await modelDataset(await modelFile('churn.onnx', trainedModel))
    const tampered = { ...model, sha256: 'ab'.repeat(32) }
    await expect(
      submitAround({ kind: 'onnx', inputs: [...CHURN_FEATURES], model: tampered }),
    ).rejects.toMatchObject({
      name: 'JobRejectedError',
      message: expect.stringMatching(/refused it \(model-hash-mismatch: .*cancelled on chain/),
    })
    await expect(
      submitAround({ kind: 'onnx', inputs: ['tenure_months', 'support_calls'], model }),
    ).rejects.toMatchObject({
      name: 'JobRejectedError',
      message: expect.stringMatching(/refused it \(model-input-width: .*reads 3 features/),
    })
  }, 180_000)

  it('has the node refuse an oversized model from its manifest, before fetching a chunk of it', async () => {
    const huge = join(dir, 'huge-model.bin')
    await writeFile(huge, '')
    await truncate(huge, 64 * 2 ** 20 + 1)
    // stored as any file (the SDK would refuse it as a model), then named by a job around the SDK
    const stored = await uploadFile({
      client: alice,
      ledger: accounts.alice!.ledger,
      projectKey,
      project,
      dataset: 'huge-model',
      path: huge,
      storage,
    })
    const sha256 = createHash('sha256')
      .update(await readFile(huge))
      .digest('hex')
    await expect(
      submitAround({ kind: 'onnx', inputs: [...CHURN_FEATURES], model: { ...stored, sha256 } }),
    ).rejects.toMatchObject({
      name: 'JobRejectedError',
      message: expect.stringMatching(/refused it \(model-too-large: the model is 67108865 bytes/),
    })
  }, 180_000)

  it('runs only approved models once the project has approvers', async () => {
    const owner = accounts.alice!.ledger
    await owner.setApprovers(projectId, [accounts.bob!.address, accounts.carol!.address], 2)
    const path = await modelFile('churn.onnx', trainedModel)
    await expect(modelDataset(path)).rejects.toMatchObject({ name: 'ModelNotApprovedError' })
    const sha256 = createHash('sha256').update(trainedModel).digest('hex')
    const { actionId } = await proposeOnnxModel(owner, projectId, sha256)
    const approvals = await Promise.all(
      ['bob', 'carol'].map(n => approveAction(accounts[n]!.ledger, accounts[n]!.signer, actionId)),
    )
    await owner.executeAction(actionId, approvals)
    const model = await modelDataset(path)
    const result = await run(fresh, { kind: 'onnx', inputs: [...CHURN_FEATURES], model })
    expect(result.kind).toBe('onnx')
  }, 180_000)
})
