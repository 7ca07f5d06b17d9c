/**
 * npm run demo: the Sealnet story on one machine, with what happened printed as it goes:
 * an in-process chain with the contracts, master keys registered on it, a project, a
 * sealed file, a secret, sharing with a teammate, four real peer nodes over libp2p (three
 * authorized after attestation, one refused for its measurement), the dataset stored on
 * them with replication and read back with a node down, batched access records, a
 * statistics job and a linear model run by the nodes (claimed, proven with Groth16,
 * checked on chain, the result sealed to its submitter), a sum of values encrypted under a
 * Paillier key that the node adds without reading, the teammate's revocation with a
 * key rotation and the old data re-sealed, a dataset erased with 2 of 3 approvals, and
 * the auditor's timeline and trail re-check.
 * Exits 0 only if every step checked out.
 */
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { id, type Signer } from 'ethers'
import { AuditServer } from '../client/dashboard/server/audit-server.ts'
import {
  approveAction,
  awaitJobResult,
  awaitStatsResult,
  deploymentPath,
  eraseDataset,
  LedgerIdentityDirectory,
  liveDataset,
  openFile,
  openSumTotal,
  projectOverview,
  recheckSumResult,
  rekeyProject,
  revokeAccess,
  sealFile,
  shareProjectKey,
  submitJob,
  submitStatsJob,
  uploadNumericDataset,
  uploadPaillierDataset,
  verifyProjectTrail,
} from '../client/sdk/index.ts'
import { SealnetNode } from '../node/sealnet-node.ts'
import {
  createMasterKeyRecord,
  createProjectKey,
  deriveMasterKey,
  generatePaillierKeys,
  importPublicKey,
  type MasterKey,
  openMasterKey,
  openObjectToBytes,
  openSecret,
  paillierKeyId,
  sealObject,
  sealSecret,
  unwrapProjectKey,
  type WrappedProjectKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../protocol/crypto/index.ts'
import {
  ACTION_KINDS,
  connectRpc,
  DEFAULT_VERIFIER_SIZES,
  datasetIdOf,
  deployJobVerifiers,
  deployLedger,
  JOB_KINDS,
  jobTimeline,
  knownNames,
  Ledger,
  projectTimeline,
  readDeployment,
  startInProcessChain,
} from '../protocol/ledger/index.ts'
import {
  encodeStatsProofs,
  releaseProverThreads,
  statsResultHash,
} from '../protocol/proof/index.ts'
import {
  fetchShard,
  PeerClient,
  placeShard,
  readDatasetManifest,
  readPaillierDataset,
  type StorageNode,
  verifyAttestation,
} from '../protocol/wire/index.ts'

const { values: options } = parseArgs({
  options: {
    home: { type: 'string' },
    dashboard: { type: 'boolean', default: false },
    port: { type: 'string', default: '7470' },
    help: { type: 'boolean', default: false },
  },
})
if (options.help) {
  process.stdout.write(`npm run demo [-- OPTIONS]: the whole Sealnet story on this machine

  --home DIR    run on the chain of "sealnet chain start --home DIR" (a fresh one: the
                story registers its names) instead of an in-process Hardhat network
  --dashboard   at the end, serve the auditor's dashboard until Ctrl-C
  --port N      the dashboard's port on 127.0.0.1 (default 7470)
`)
  process.exit(0)
}
const started = performance.now()
let steps = 0
// on a terminal a step shows "…" while it runs and is redrawn when done; in a log, one line
const interactive = process.stdout.isTTY === true
const clear = interactive ? '\r\x1b[2K' : ''

function section(title: string): void {
  process.stdout.write(`\n== ${title}\n`)
}

async function step<T>(
  title: string,
  work: () => Promise<T> | T,
  detail?: (result: T) => string,
): Promise<T> {
  const t0 = performance.now()
  if (interactive) process.stdout.write(`  … ${title}`)
  try {
    const result = await work()
    const seconds = ((performance.now() - t0) / 1000).toFixed(2)
    process.stdout.write(
      `${clear}  ✓ ${title} (${seconds} s)${detail ? `: ${detail(result)}` : ''}\n`,
    )
    steps++
    return result
  } catch (err) {
    process.stdout.write(
      `${clear}  ✗ ${title}\n    ${(err as Error).name}: ${(err as Error).message}\n`,
    )
    process.exit(1)
  }
}

/** A step that passes only if `work` throws the named error. */
function refused(title: string, errorName: string, work: () => Promise<unknown>): Promise<string> {
  return step(
    title,
    async () => {
      try {
        await work()
      } catch (err) {
        if ((err as Error).name === errorName) return `${errorName}: ${(err as Error).message}`
        throw err
      }
      throw new Error(`expected ${errorName}, but it succeeded`)
    },
    why => `refused with ${why}`,
  )
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const home = await mkdtemp(join(tmpdir(), 'sealnet-demo-'))
process.stdout.write(`Sealnet demo (files in ${home})\n`)

section('0. A ledger on this machine')
await step(
  'the circuits and their development keys are ready (the first run builds them: about 7 minutes)',
  () =>
    execFileSync(process.execPath, [new URL('setup-circuits.ts', import.meta.url).pathname], {
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
)
const chain = options.home
  ? await step(`the chain of "sealnet chain start --home ${options.home}" answers`, async () =>
      connectRpc((await readDeployment(deploymentPath({ home: options.home! }))).rpcUrl!),
    )
  : await step('an in-process Hardhat network starts', () => startInProcessChain())
// 0 deploys and audits, 1 alice, 2 bob, 3-6 nodes, 7-9 the approvers of erasures
const accounts = await Promise.all(
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(i => chain.provider.getSigner(i)),
)
const deployment = options.home
  ? await step(
      'the Sealnet contracts deployed there are used, with their Groth16 verifiers',
      () => readDeployment(deploymentPath({ home: options.home! })),
      d => `jobs at ${d.jobs.slice(0, 10)}…, proofs checked by ${d.verifier.slice(0, 10)}…`,
    )
  : await step(
      'the Sealnet contracts are deployed, with the Groth16 verifiers that check job proofs',
      async () =>
        deployLedger(accounts[0]!, {
          verifier: await deployJobVerifiers(accounts[0]!, DEFAULT_VERIFIER_SIZES),
        }),
      d => `jobs at ${d.jobs.slice(0, 10)}…, proofs checked by ${d.verifier.slice(0, 10)}…`,
    )
const aliceLedger = await Ledger.connect(accounts[1]!, deployment)
const bobLedger = aliceLedger.as(accounts[2]!)
const nodeLedgers = [3, 4, 5, 6].map(i => aliceLedger.as(accounts[i]!))
const directory = new LedgerIdentityDirectory(aliceLedger)

section('1. A business derives its master key from a password')
const alice: MasterKey = await step(
  'alice@acme.example derives an RSA-2048 key (scrypt N=2^17, then deterministic primes)',
  () => deriveMasterKey('correct horse battery staple', 'alice@acme.example'),
  key => `fingerprint ${key.fingerprint.slice(0, 16)}…`,
)
await step(
  'her public record (key, signed challenge, KDF parameters) is registered on the ledger',
  () => directory.register(createMasterKeyRecord(alice)),
)
const record = (await directory.lookup('alice@acme.example'))!
await step(
  'on another day, the same password re-derives the byte-identical key',
  () => openMasterKey('correct horse battery staple', record),
  key => (key.fingerprint === alice.fingerprint ? 'same fingerprint' : 'DIFFERENT'),
)
await refused('a wrong password is refused, nothing written', 'WrongMasterPasswordError', () =>
  openMasterKey('correct horse battery stable', record),
)

section('2. She creates a project and seals a dataset in it')
const projectId = await step(
  'project acme-churn is created on the ledger; alice is its owner',
  () => aliceLedger.createProject('acme-churn', 90 * 86400),
)
const projectKey = createProjectKey('acme-churn')
const ownerGrant = await step(
  'project acme-churn gets a random AES-256 key, stored only wrapped (RSA-OAEP) to her key',
  () => wrapProjectKey(projectKey, alice.publicKey),
  w => `key version ${w.version}, ${Buffer.from(w.wrapped, 'base64').length}-byte wrapped key`,
)
/** Records a grant on the ledger: the hash of the wrapped key, never the key. */
const recordGrant = (grant: WrappedProjectKey, grantee: string, measurement?: string) =>
  aliceLedger.recordGrant(projectId, grantee, grant.version, wrappedKeyDigest(grant), measurement)
await step('the ledger records her grant: the hash of the wrapped key, never the key', () =>
  recordGrant(ownerGrant, 'alice@acme.example'),
)
const dataset = join(home, 'customers.csv')
const rows = ['id,tenure_months,monthly_spend,churned']
for (let i = 0; i < 200_000; i++)
  rows.push(`${i},${(i * 7) % 72},${((i * 7919) % 9000) / 100},${i % 5 === 0 ? 1 : 0}`)
await writeFile(dataset, `${rows.join('\n')}\n`)
const plainHash = sha256(await readFile(dataset))
const context = { projectId: 'acme-churn', objectId: 'customers.csv' }
await step(
  'customers.csv is sealed chunk by chunk (AES-256-GCM, 1 MiB chunks, bound to project/object/position)',
  async () => {
    await sealFile(projectKey, context, dataset, `${dataset}.sealed`)
    return (await stat(`${dataset}.sealed`)).size
  },
  size => `${(size / 1024 / 1024).toFixed(2)} MiB sealed`,
)
await step(
  'opened again, it matches the original byte for byte',
  async () => {
    await openFile(projectKey, context, `${dataset}.sealed`, join(home, 'opened.csv'))
    return sha256(await readFile(join(home, 'opened.csv'))) === plainHash
  },
  same => (same ? 'SHA-256 equal' : 'MISMATCH'),
)
const tampered = Buffer.from(await readFile(`${dataset}.sealed`))
tampered[tampered.length - 500]! ^= 0x01
await writeFile(join(home, 'tampered.sealed'), tampered)
await refused(
  'one flipped bit is detected, and no partial output is written',
  'EnvelopeAuthError',
  () => openFile(projectKey, context, join(home, 'tampered.sealed'), join(home, 'tampered.csv')),
)

section('3. She keeps a database credential as a secret')
const secret = await step(
  'a credentials secret is validated and sealed to her key',
  () =>
    sealSecret(
      {
        type: 'credentials',
        name: 'warehouse-db',
        data: { username: 'etl', password: randomBytes(12).toString('base64') },
      },
      alice.publicKey,
    ),
  s => `${s.type}/${s.name}, ${s.box.length} base64 chars`,
)
await step(
  'she opens it with her private key',
  () => openSecret(secret, alice.privateKey),
  s => `user ${(s.data as { username: string }).username}`,
)
await refused('a malformed secret is refused, naming the field', 'InvalidSecretError', async () =>
  sealSecret(
    { type: 'aws', name: 'prod', data: { accessKeyId: 'not-an-id', secretAccessKey: 'x' } },
    alice.publicKey,
  ),
)

section('4. She shares the project with a teammate')
const bob = await step(
  'bob@acme.example derives his own key and registers it on the ledger',
  async () => {
    const key = await deriveMasterKey('bob has his own password', 'bob@acme.example')
    await new LedgerIdentityDirectory(bobLedger).register(createMasterKeyRecord(key))
    return key
  },
)
await step('alice makes bob a member of the project', async () =>
  aliceLedger.grantRole(projectId, 'member', await accounts[2]!.getAddress()),
)
const bobGrant = await step(
  'alice re-wraps the project key to bob’s key as the ledger has it, and records the grant',
  async () => {
    const grant = await shareProjectKey(directory, ownerGrant, alice.privateKey, 'bob@acme.example')
    await recordGrant(grant, 'bob@acme.example')
    return grant
  },
)
await step(
  'bob unwraps it and opens the dataset',
  async () => {
    const key = unwrapProjectKey(bobGrant, bob.privateKey)
    await openFile(key, context, `${dataset}.sealed`, join(home, 'bob.csv'))
    return sha256(await readFile(join(home, 'bob.csv'))) === plainHash
  },
  same => (same ? 'SHA-256 equal' : 'MISMATCH'),
)
await refused(
  'sharing with someone who has no registered key is refused',
  'UnknownIdentityError',
  () => shareProjectKey(directory, ownerGrant, alice.privateKey, 'carol@acme.example'),
)

section('5. Peer nodes: she authorizes three of four, and stores the dataset on them')
const nodeNames = [1, 2, 3, 4].map(i => `node-${i}.sealnet.local`)
const nodes = await step(
  'four nodes derive their keys from their node secrets, start (libp2p: TCP, Noise, Yamux, private DHT) and register their peer ids; node-4 runs in debug mode',
  async () => {
    const started: SealnetNode[] = []
    for (const [i, name] of nodeNames.entries()) {
      const key = await deriveMasterKey(`node-${i + 1} operator secret`, name)
      const node = new SealnetNode({
        key,
        dataDir: join(home, `node-${i + 1}`),
        ledger: nodeLedgers[i]!,
        bootstrap: started[0]?.multiaddrs,
        debug: i === 3,
        jobs: DEFAULT_VERIFIER_SIZES,
      })
      await node.start()
      await new LedgerIdentityDirectory(nodeLedgers[i]!, {
        kind: 'node',
        peerId: node.peerId,
      }).register(createMasterKeyRecord(key))
      started.push(node)
    }
    return started
  },
  ns => ns.map(n => `…${n.peerId.slice(-6)}`).join(', '),
)
// node-1 restarts later where it listened, as an operator's fixed port would
const node1Listen = nodes[0]!.multiaddrs.map(addr => addr.split('/p2p/')[0]!)
const aliceClient = new PeerClient({ key: alice, bootstrap: nodes[0]!.multiaddrs })
await step('alice joins the network through node-1', () => aliceClient.start())
const attestations = await step(
  'each node answers her fresh nonce with its measurement (hash of its code and configuration), signed by its registered key',
  () =>
    Promise.all(
      nodes.map(async (node, i) => {
        const attestation = await aliceClient.attest(node.peerId)
        const record = await directory.lookup(nodeNames[i]!)
        if (!record || !verifyAttestation(attestation, importPublicKey(record.publicKey)))
          throw new Error(`${nodeNames[i]}: attestation not signed by its registered key`)
        return attestation
      }),
    ),
  as => as.map(a => `${a.measurement.slice(0, 8)}…`).join(', '),
)
await step('alice allowlists the measurement of the released node build', () =>
  aliceLedger.allowMeasurement(projectId, attestations[0]!.measurement),
)
await step(
  'node-1..3 match it: she wraps the key to each, records the grants, delivers the keys over /sealnet/key/1',
  async () => {
    for (const i of [0, 1, 2]) {
      const grant = await shareProjectKey(directory, ownerGrant, alice.privateKey, nodeNames[i]!)
      await recordGrant(grant, nodeNames[i]!, attestations[i]!.measurement)
      await aliceClient.deliverProjectKey(nodes[i]!.peerId, grant)
    }
    return (await nodes[0]!.vault.projectKey('acme-churn')).version
  },
  version => `each node holds key version ${version}, sealed in its vault`,
)
const debugGrant = await shareProjectKey(directory, ownerGrant, alice.privateKey, nodeNames[3]!)
await refused(
  'node-4 runs in debug mode, so its measurement differs: the ledger refuses a key release to it',
  'LedgerRevertError',
  () => recordGrant(debugGrant, nodeNames[3]!, attestations[3]!.measurement),
)
await refused(
  'and node-4 itself refuses a key the ledger has not granted it',
  'PeerRefusedError',
  () => aliceClient.deliverProjectKey(nodes[3]!.peerId, debugGrant),
)
const storage = nodes
  .slice(0, 3)
  .map((node, i) => ({ identity: nodeNames[i]!, peerId: node.peerId }))
const shards = await step(
  'the dataset is sealed chunk by chunk and each chunk stored on 2 of the 3 nodes, chosen by DHT closeness',
  async () => {
    const placed: Array<{ shardId: string; holders: StorageNode[] }> = []
    for await (const envelope of sealObject(projectKey, context, await readFile(dataset)))
      placed.push(await placeShard(aliceClient, projectId, envelope, storage))
    return placed
  },
  placed =>
    `${placed.length} shards: ${placed.map(p => p.holders.map(h => h.identity.slice(5, 6)).join('+')).join(', ')}`,
)
await step(
  'node-1 stops; bob reads every chunk from the other replicas and opens the dataset',
  async () => {
    await nodes[0]!.stop()
    const bobClient = new PeerClient({ key: bob, bootstrap: nodes[1]!.multiaddrs })
    await bobClient.start()
    try {
      const envelopes: Uint8Array[] = []
      for (const { shardId } of shards)
        envelopes.push((await fetchShard(bobClient, projectId, shardId, storage)).shard)
      const key = unwrapProjectKey(bobGrant, bob.privateKey)
      return sha256(await openObjectToBytes(key, context, envelopes)) === plainHash
    } finally {
      await bobClient.stop()
    }
  },
  same => (same ? 'SHA-256 equal to the original' : 'MISMATCH'),
)
await step(
  'node-1 restarts on its data folder with every shard it held',
  async () => {
    nodes[0] = new SealnetNode({
      key: await deriveMasterKey('node-1 operator secret', nodeNames[0]!),
      dataDir: join(home, 'node-1'),
      ledger: nodeLedgers[0]!,
      bootstrap: nodes[1]!.multiaddrs,
      listen: node1Listen,
      jobs: DEFAULT_VERIFIER_SIZES,
    })
    await nodes[0].start()
    return (await nodes[0].store.list(projectId)).length
  },
  n => `${n} shards`,
)
const stranger = await deriveMasterKey('not on the ledger', 'mallory@elsewhere.example')
await refused(
  'a peer whose identity is not on the ledger gets nothing',
  'PeerRefusedError',
  async () => {
    const client = new PeerClient({ key: stranger, bootstrap: nodes[1]!.multiaddrs })
    await client.start()
    try {
      await client.getShard(nodes[1]!.peerId, projectId, shards[0]!.shardId)
    } finally {
      await client.stop()
    }
  },
)
await step(
  'the nodes put every write and read on the ledger in batched transactions',
  async () => {
    for (const node of nodes) await node.accessLog.flush()
    const projects = aliceLedger.projects
    const batches = await projects.queryFilter(
      projects.filters.ProjectAccessBatchRecorded!(projectId),
    )
    const records = batches.reduce(
      (n, e) => n + (e as unknown as { args: { records: unknown[] } }).args.records.length,
      0,
    )
    return { batches: batches.length, records }
  },
  r => `${r.records} access records in ${r.batches} transactions`,
)

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

section('7. Bob leaves the team: his access is revoked, the key rotates, old data is re-sealed')
const revocation = await step(
  'alice revokes his role and grant on chain, rotates the project key, re-attests node-1..3 and grants them version 2',
  async () =>
    revokeAccess({
      client: aliceClient,
      ledger: aliceLedger,
      project: await projectOverview(aliceLedger, projectId),
      me: alice,
      ownKey: ownerGrant,
      revoke: 'bob@acme.example',
    }),
  r =>
    `key version ${r.keyVersion}; re-granted to ${r.nodes.join(', ')}${r.unreached.map(u => `; NOT ${u.identity}: ${u.error}`).join('')}`,
)
await step(
  'each node now holds version 2 for new data, and keeps version 1 for the data sealed before',
  async () => {
    for (const node of nodes.slice(0, 3)) {
      const latest = await node.vault.projectKey('acme-churn')
      const old = await node.vault.projectKey('acme-churn', 1)
      if (latest.version !== revocation.keyVersion || old.version !== 1) throw new Error('versions')
    }
    return revocation.keyVersion
  },
  v => `versions 1 and ${v}`,
)
await refused('bob can no longer submit a job: the chain refuses him', 'LedgerRevertError', () =>
  bobLedger.submitJob(
    id('job: after revocation'),
    projectId,
    JOB_KINDS.stats,
    id('spec'),
    spendDataset.root,
  ),
)
const version2 = unwrapProjectKey(revocation.own, alice.privateKey)
await step(
  'alice re-seals the datasets under version 2 (rekey): new chunks placed, the chain pointed at the new manifests, then the version-1 shards deleted',
  async () =>
    rekeyProject({
      client: aliceClient,
      ledger: aliceLedger,
      project: await projectOverview(aliceLedger, projectId),
      datasets: ['customers.csv#spend', 'customers.csv#features'],
      keyFor: async version => (version === 1 ? projectKey : version2),
      storage,
      journal: join(home, 'rekey.json'),
    }),
  done =>
    done
      .map(d => `${d.dataset}: ${d.resealed} chunks re-sealed, ${d.deleted} old copies deleted`)
      .join('; '),
)

section('8. A customer asks to be forgotten: erasure with 2 of 3 approvals, the data key destroyed')
const approverLedgers = [7, 8, 9].map(i => aliceLedger.as(accounts[i]!))
const customerData = await step(
  "alice uploads one customer's records (under key version 2): the chunks sealed with the dataset's own key, kept only in its manifest",
  () =>
    uploadNumericDataset({
      client: aliceClient,
      ledger: aliceLedger,
      projectKey: version2,
      project: 'acme-churn',
      dataset: 'customer-1043',
      values: [120n, 4500n, 3n, 77n],
      chunkSize: 2,
      storage,
    }),
  d => `root ${d.root.slice(0, 12)}…`,
)
await step(
  'alice names three approvers (legal, the DPO, the CTO); any two must sign a sensitive action',
  async () => {
    await aliceLedger.setApprovers(
      projectId,
      await Promise.all(approverLedgers.map(l => (l.projects.runner as Signer).getAddress())),
      2,
    )
    return aliceLedger.approversOf(projectId)
  },
  a => `${a.threshold} of ${a.approvers.length}`,
)
const erasureId = await step(
  'alice proposes erasing the dataset: recorded on chain, nothing deleted yet',
  () =>
    aliceLedger.proposeAction(projectId, ACTION_KINDS.eraseDataset, datasetIdOf('customer-1043')),
  a => `action ${a.slice(0, 12)}…`,
)
const erasureApprovals = await step(
  'legal and the DPO each sign it off chain (EIP-712) with their own accounts',
  () =>
    Promise.all(
      approverLedgers
        .slice(0, 2)
        .map(l => approveAction(l, l.projects.runner as Signer, erasureId)),
    ),
  a => `${a.length} approvals`,
)
// which shards the erasure must remove: the manifest and the chunks it lists
const customerShards = [
  customerData.manifest.shardId,
  ...(
    await readDatasetManifest({
      keyFor: async () => version2,
      project: 'acme-churn',
      dataset: 'customer-1043',
      manifest: customerData.manifest,
      committedRoot: customerData.root,
      readShard: async (shardId, holders, projectId) =>
        (
          await fetchShard(aliceClient, projectId, shardId, holders)
        ).shard,
    })
  ).chunks.map(c => c.shardId),
]
await step(
  'alice executes it: the chain checks the signatures, every chunk and manifest copy is deleted from the nodes, and with the manifests the data key',
  async () =>
    eraseDataset({
      client: aliceClient,
      ledger: aliceLedger,
      project: await projectOverview(aliceLedger, projectId),
      dataset: 'customer-1043',
      actionId: erasureId,
      approvals: erasureApprovals,
      keyFor: async version => (version === 1 ? projectKey : version2),
      storage,
    }),
  r => `${r.chunksDeleted} chunk and ${r.manifestsDeleted} manifest copies deleted`,
)
await step(
  'no node holds any of it any more',
  async () => {
    for (const node of nodes)
      for (const id of customerShards)
        if (await node.store.has(id)) throw new Error(`${node.identity} still holds ${id}`)
    return customerShards.length
  },
  n => `${n} shards checked on ${nodes.length} nodes`,
)
await refused('reading it now says it was erased, and by which action', 'DatasetErasedError', () =>
  liveDataset(aliceLedger, { name: 'acme-churn', projectId }, 'customer-1043'),
)
for (const node of nodes.slice(0, 3)) await node.accessLog.flush()
await aliceClient.stop()
await releaseProverThreads()

section('9. An auditor reads and verifies the on-chain log (no key, no password)')
const auditor = aliceLedger.as(accounts[0]!)
const timeline = await step(
  'the project timeline is read from contract events',
  () => projectTimeline(auditor, projectId),
  t => `${t.total} events`,
)
const names = await knownNames(auditor)
for (const entry of timeline.entries) {
  const subject = ['grantee', 'nodeId', 'role']
    .map(k => entry.args[k])
    .find(v => typeof v === 'string') as string | undefined
  process.stdout.write(
    `      block ${String(entry.blockNumber).padEnd(4)} ${entry.kind.padEnd(28)} ${subject ? (names.get(subject) ?? subject) : ''}\n`,
  )
}
await step(
  "the auditor re-checks the whole trail from the chain alone: each job's proofs (snarkjs), result hash and dataset root, each access batch's Merkle root",
  async () => {
    const report = await verifyProjectTrail(auditor, projectId)
    await releaseProverThreads()
    if (report.failed > 0)
      throw new Error(`${report.failed} of ${report.checks.length} checks failed`)
    return report
  },
  r =>
    `${r.passed} passed, ${r.failed} failed (${r.checks.filter(c => c.subject === 'job').length} jobs, ${r.checks.filter(c => c.subject === 'access-batch').length} access batches)`,
)
await Promise.all(nodes.map(node => node.stop()))
if (options.dashboard) {
  const dashboard = new AuditServer({
    open: async () => ({
      ledger: await Ledger.connect(chain.provider, deployment),
      close: async () => {},
    }),
    where: options.home ? (deployment.rpcUrl ?? 'the chain') : 'the in-process chain',
    port: Number(options.port),
  })
  await step(
    "the auditor's dashboard serves the same log, read-only",
    () => dashboard.start(),
    () => dashboard.url,
  )
  process.stdout.write(`\nOpen ${dashboard.url} in a browser; press Ctrl-C to end the demo.\n`)
  await new Promise<void>(resolve => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  await dashboard.stop()
}
await chain.close()

await rm(home, { recursive: true, force: true })
const total = ((performance.now() - started) / 1000).toFixed(1)
process.stdout.write(
  `\nAll ${steps} steps checked out in ${total} s. The same story on the command line: see "The command line" in README.md.\n`,
)
