/**
 * Homomorphic `sum` jobs on real nodes and a real chain: two members upload values
 * encrypted under alice's Paillier key, a node adds the ciphertexts it can't read and
 * records the result, bob (who submitted) re-adds them to check it, and only alice's
 * private key opens the total. Refusals: another key's dataset, a plain dataset, a
 * wrong total, proof material on chain, the wrong private key.
 */
import { id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  awaitJobResult,
  openSumTotal,
  recheckSumResult,
  submitJob,
  type UploadedDataset,
  uploadNumericDataset,
  uploadPaillierDataset,
  type VerifiedSumResult,
  verifyProjectTrail,
} from '../client/sdk/index.ts'
import {
  decryptPaillier,
  generatePaillierKeys,
  type PaillierKeyPair,
  type ProjectKey,
} from '../protocol/crypto/index.ts'
import { JOB_KINDS } from '../protocol/job-kinds/index.ts'
import { projectIdOf } from '../protocol/ledger/index.ts'
import {
  fetchShard,
  type PaillierDataset,
  type PeerClient,
  readPaillierDataset,
  type StorageNode,
} from '../protocol/wire/index.ts'
import { eventually } from './eventually.ts'
import { type Account, refusedWith } from './ledger-fixture.ts'
import { type ProjectNetwork, startClient, startProjectNetwork } from './node-network.ts'

// small keys keep encryption fast in tests; the bench and the CLI default to 2048 bits
const BITS = 768

describe('sum jobs over Paillier ciphertexts on real nodes', () => {
  let net: ProjectNetwork
  let accounts: Record<string, Account>
  let alice: PeerClient
  let bob: PeerClient
  let storage: StorageNode[]
  let keys: PaillierKeyPair
  let fromAlice: UploadedDataset
  let fromBob: UploadedDataset
  const project = 'payroll'
  const projectId = projectIdOf(project)
  let projectKey: ProjectKey
  const aliceValues = [1200n, -350n, 0n, 77n, 4100n]
  const bobValues = [999n, 1n, -2000n]

  beforeAll(async () => {
    net = await startProjectNetwork({
      project,
      users: ['bob'],
      members: ['bob'],
      circuits: { statsSize: 8, linearRecords: 8 },
    })
    ;({ accounts, alice, storage, projectKey } = net)
    bob = await startClient(accounts.bob!, net.nodes[1]!)
    keys = await generatePaillierKeys(BITS)
  }, 180_000)

  afterAll(async () => {
    await bob?.stop()
    await net?.stop()
  })

  const upload = (
    client: PeerClient,
    who: string,
    dataset: string,
    values: bigint[],
    publicKey = keys.publicKey,
  ) =>
    uploadPaillierDataset({
      client,
      ledger: accounts[who]!.ledger,
      projectKey,
      project,
      dataset,
      values,
      publicKey,
      chunkSize: 2,
      storage,
    })

  /** What a member (or an authorized node) opens: the dataset's chunks, ciphertexts only. */
  const read = (client: PeerClient, dataset: UploadedDataset): Promise<PaillierDataset> =>
    readPaillierDataset({
      keyFor: async () => projectKey,
      project,
      dataset: dataset.dataset,
      manifest: dataset.manifest,
      committedRoot: dataset.root,
      readShard: async (shardId, holders) =>
        (await fetchShard(client, projectId, shardId, holders)).shard,
    })

  const submitSum = (dataset: UploadedDataset, more: UploadedDataset[] = []) =>
    submitJob({
      client: bob,
      ledger: accounts.bob!.ledger,
      projectKey,
      project,
      dataset,
      params: { kind: 'sum', more },
      submitter: 'bob',
    })

  const awaitSum = async (jobId: string): Promise<VerifiedSumResult> => {
    const result = await awaitJobResult({
      client: bob,
      ledger: accounts.bob!.ledger,
      jobId,
      key: accounts.bob!.key,
      storage,
      timeoutMs: 120_000,
    })
    if (result.kind !== 'sum') throw new Error(`expected a sum, got ${result.kind}`)
    return result
  }

  it('members upload values encrypted under one Paillier key: what the project key opens is ciphertexts', async () => {
    fromAlice = await upload(alice, 'alice', 'bonus-alice', aliceValues)
    fromBob = await upload(bob, 'bob', 'bonus-bob', bobValues)
    const opened = await read(bob, fromAlice)
    expect(opened.manifest.paillier?.n).toBe(keys.publicKey.n.toString(16))
    expect(opened.chunks.map(c => c.length)).toEqual([2, 2, 1])
    const ciphertexts = opened.chunks.flat()
    // every entry is a ciphertext of a value, none the value itself, and only the private key opens it
    expect(ciphertexts.map(c => decryptPaillier(keys.privateKey, c))).toEqual(aliceValues)
    for (const c of ciphertexts) expect(c > keys.publicKey.n).toBe(true)
    // the same value twice encrypts to unrelated ciphertexts
    const twice = await upload(alice, 'alice', 'zeros', [0n, 0n])
    const [a, b] = (await read(alice, twice)).chunks[0]!
    expect(a).not.toBe(b)
  }, 120_000)

  it('a member submits a sum over both datasets; a node adds them, the submitter re-checks, the key holder opens the total', async () => {
    const jobId = await submitSum(fromAlice, [fromBob])
    const result = await awaitSum(jobId)
    expect(result.count).toBe(aliceValues.length + bobValues.length)
    expect(result.n).toBe(keys.publicKey.n)
    const onChain = await accounts.bob!.ledger.job(jobId)
    expect(onChain).toMatchObject({ status: 'completed', kind: JOB_KINDS.sum })
    // bob re-adds the ciphertexts he may read: the node's total is theirs
    const datasets = [await read(bob, fromAlice), await read(bob, fromBob)]
    recheckSumResult(result, onChain!, datasets)
    // alice holds the private key: she opens the total, never a single value
    const expected = [...aliceValues, ...bobValues].reduce((x, y) => x + y)
    expect(openSumTotal(keys.privateKey, result)).toBe(expected)

    // a total the datasets do not add up to, or other datasets, are caught
    const wrong = { ...result, total: (result.total * 2n) % keys.publicKey._n2 }
    expect(() => recheckSumResult(wrong, onChain!, datasets)).toThrow(
      /delivered a total the datasets do not add up to/,
    )
    expect(() => recheckSumResult(result, onChain!, datasets.slice(0, 1))).toThrow(
      /not the datasets the job named/,
    )
    // another private key does not open it, and says whose key it needs
    const other = await generatePaillierKeys(512)
    expect(() => openSumTotal(other.privateKey, result)).toThrow(
      expect.objectContaining({
        name: 'JobResultMismatchError',
        message: expect.stringMatching(/encrypted under Paillier key [0-9a-f]{16}, not/),
      }),
    )

    // the auditor's trail check names what it can and can't check of a sum
    const trail = await verifyProjectTrail(accounts.alice!.ledger, projectId)
    const check = trail.checks.find(c => c.id === jobId)
    expect(check).toMatchObject({ ok: true, detail: expect.stringMatching(/without a proof/) })
  }, 180_000)

  it('a sum over datasets under different keys, or over plain values, fails on the node, naming why', async () => {
    const stranger = await generatePaillierKeys(512)
    const foreign = await upload(alice, 'alice', 'bonus-foreign', [5n], stranger.publicKey)
    const plain = await uploadNumericDataset({
      client: alice,
      ledger: accounts.alice!.ledger,
      projectKey,
      project,
      dataset: 'plain',
      values: [1n, 2n],
      chunkSize: 8,
      storage,
    })
    for (const [job, why] of [
      [await submitSum(fromAlice, [foreign]), /another Paillier key than bonus-alice's/],
      [await submitSum(plain), /a sum job takes Paillier ciphertexts; it holds plain values/],
    ] as const) {
      const jobs = accounts.bob!.ledger.jobs
      let reason = ''
      await eventually(async () => {
        const [first] = await jobs.queryFilter(jobs.filters.JobFailed!(job))
        reason = (first as unknown as { args?: { reason: string } } | undefined)?.args?.reason ?? ''
        return reason !== ''
      }, 60_000)
      expect(reason).toMatch(/^dataset-shape: /)
      expect(reason).toMatch(why)
    }
  }, 180_000)

  it('the chain refuses a sum result that carries proof material or an empty hash', async () => {
    const node = accounts.node1!.ledger
    const owner = accounts.alice!.ledger
    for (const [name, hash, proof] of [
      ['with a proof', id('total'), '0x01'],
      ['empty hash', `0x${'00'.repeat(32)}`, '0x'],
    ] as const) {
      const jobId = id(name)
      await owner.submitJob(jobId, projectId, JOB_KINDS.sum, id('spec'), fromAlice.root)
      await node.assignJob(jobId, 'node1')
      await refusedWith(node.completeJob(jobId, hash, proof, []), 'JobsInvalidProof')
    }
  }, 60_000)
})
