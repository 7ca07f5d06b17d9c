/**
 * Named abuse cases on real nodes, a real chain and real proofs, with a leak scan at the
 * end: replayed key deliveries and credentials, a node serving forged shards, forged
 * proofs, an outsider's requests. Every frame any peer sends is tapped (encodeFrame is
 * wrapped, not replaced), an outsider listens to the job gossip, and at the end every
 * frame, gossip message, transaction, log and node LevelDB (entries and files) is
 * searched for key bytes, passwords, input values, the model and a secret.
 */
import { randomBytes, randomInt } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { id as keccakId } from 'ethers'
import { Level } from 'level'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  authorizeNode,
  awaitJobResult,
  awaitStatsResult,
  deliverSecretToNode,
  grantToMember,
  projectOverview,
  type Revocation,
  revokeAccess,
  submitJob,
  submitStatsJob,
  type UploadedDataset,
  uploadNumericDataset,
} from '../../client/sdk/index.ts'
import {
  createProjectKey,
  openMasterKey,
  type ProjectKey,
  sealSecret,
  unwrapProjectKey,
  type WrappedProjectKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../../protocol/crypto/index.ts'
import { JOB_KINDS } from '../../protocol/job-kinds/index.ts'
import { projectIdOf } from '../../protocol/ledger/index.ts'
import { encodeStatsProofs, type StatsResult, statsResultHash } from '../../protocol/proof/index.ts'
import {
  createHost,
  DatasetManifestSchema,
  decodeFrame,
  fetchShard,
  JOB_TOPIC,
  manifestContext,
  openJson,
  type PeerClient,
  placeShard,
  rankByCloseness,
  type SealnetHost,
  type StorageNode,
} from '../../protocol/wire/index.ts'
import { eventually } from '../eventually.ts'
import { findLeaks, type Haystack, type Needle } from '../leak-scan.ts'
import { type Account, type Fixture, startFixture } from '../ledger-fixture.ts'
import { startClient, startNodes, stopNodes, type TestNode } from '../node-network.ts'
import { framed, sendRaw } from '../raw-requests.ts'

// every frame a peer in this process encodes, requests and answers alike
const frames = vi.hoisted((): Uint8Array[] => [])
vi.mock('../../protocol/wire/frame.ts', async importOriginal => {
  const real = await importOriginal<typeof import('../../protocol/wire/frame.ts')>()
  return {
    ...real,
    encodeFrame: (header: object, body?: Uint8Array) => {
      const parts = real.encodeFrame(header, body)
      frames.push(Buffer.concat(parts))
      return parts
    },
  }
})

const SIZE = 8
const project = 'abuse'
const projectId = projectIdOf(project)
// ten-digit values: a decimal string or 32-byte word of one is unmistakable in any data
const tenDigits = () => BigInt(randomInt(1_000_000_000, 2 ** 32))
const spend = Array.from({ length: 20 }, tenDigits)
const records = Array.from({ length: 8 * 4 }, tenDigits)
const model = { weights: [tenDigits(), -tenDigits(), tenDigits(), tenDigits()], bias: tenDigits() }
const canary = `canary-${randomBytes(16).toString('hex')}`

/** The deliveries of project keys among the tapped frames, oldest first. */
function tappedDeliveries(): WrappedProjectKey[] {
  return frames.flatMap(frame => {
    const { header } = decodeFrame(frame) as { header: { kind?: string; key?: WrappedProjectKey } }
    return header.kind === 'project-key' && header.key ? [header.key] : []
  })
}

describe('abuse on real nodes, and a leak scan of everything that travelled or was stored', () => {
  let fixture: Fixture
  let accounts: Record<string, Account>
  let nodes: TestNode[]
  let storage: StorageNode[]
  let alice: PeerClient
  let bob: PeerClient
  let eve: SealnetHost
  const gossip: Uint8Array[] = []
  const projectKey = createProjectKey(project)
  const keyV1 = Buffer.from(projectKey.key)
  let keyV2: Buffer
  let bobKey: ProjectKey
  let ownKey: WrappedProjectKey
  let spendSet: UploadedDataset
  let stats: StatsResult & { proofs: Parameters<typeof encodeStatsProofs>[0] }
  let revocation: Revocation
  let linearOutputs: bigint[]
  /** Each dataset's own key, read from its manifest: it must appear nowhere else. */
  const dataKeys: Needle[] = []

  beforeAll(async () => {
    fixture = await startFixture({ verifier: { statsSize: SIZE, linearRecords: 8 } })
    accounts = fixture.accounts
    const owner = accounts.alice!.ledger
    for (const name of ['alice', 'bob', 'carol'])
      await accounts[name]!.ledger.registerIdentity('user', accounts[name]!.record)
    await owner.createProject(project, 0)
    await owner.grantRole(projectId, 'member', accounts.bob!.address)
    ownKey = wrapProjectKey(projectKey, accounts.alice!.key.publicKey)
    await owner.recordGrant(projectId, 'alice', 1, wrappedKeyDigest(ownKey))
    nodes = await startNodes([accounts.node1!, accounts.node2!, accounts.node3!], {
      jobs: { statsSize: SIZE, linearRecords: 8, watchIntervalMs: 500 },
    })
    storage = nodes.map(n => ({ identity: n.account.name, peerId: n.node.peerId }))
    // eve: a peer with no identity at all, listening to the job topic
    eve = await createHost({ dhtServer: false })
    eve.services.pubsub.addEventListener('message', event => {
      gossip.push(event.detail.data)
    })
    eve.services.pubsub.subscribe(JOB_TOPIC)
    for (const n of nodes) await eve.dial(n.node.host.getMultiaddrs()[0]!)
    alice = await startClient(accounts.alice!, nodes[0]!)
    bob = await startClient(accounts.bob!, nodes[1]!)
    await eventually(() =>
      nodes.every(n =>
        n.node.host.services.pubsub.getSubscribers(JOB_TOPIC).some(p => p.equals(eve.peerId)),
      ),
    )
  }, 180_000)

  afterAll(async () => {
    await alice?.stop()
    await bob?.stop()
    await eve?.stop()
    await stopNodes(nodes ?? [])
    await fixture?.chain.close()
  })

  it('the story runs tapped: nodes authorized, a teammate and a node given keys and a secret, data uploaded, stats and linear jobs, a revocation', async () => {
    const owner = accounts.alice!.ledger
    await owner.allowMeasurement(projectId, nodes[0]!.node.measurement)
    for (const n of nodes)
      await authorizeNode({
        client: alice,
        ledger: owner,
        ownKey,
        privateKey: accounts.alice!.key.privateKey,
        node: n.account.name,
      })
    const bobGrant = await grantToMember({
      client: alice,
      ledger: owner,
      ownKey,
      privateKey: accounts.alice!.key.privateKey,
      identity: 'bob',
      storage,
    })
    bobKey = unwrapProjectKey(bobGrant, accounts.bob!.key.privateKey)
    await deliverSecretToNode({
      client: alice,
      ledger: owner,
      project,
      sealed: sealSecret(
        { type: 'generic', name: 'api', data: { token: canary } },
        accounts.alice!.key.publicKey,
      ),
      privateKey: accounts.alice!.key.privateKey,
      node: 'node1',
    })
    expect(await nodes[0]!.node.vault.getSecret('secret/abuse/api')).toBeDefined()

    const upload = (dataset: string, values: bigint[], features?: number) =>
      uploadNumericDataset({
        client: bob,
        ledger: accounts.bob!.ledger,
        projectKey: bobKey,
        project,
        dataset,
        values,
        chunkSize: SIZE,
        ...(features ? { features } : {}),
        storage,
      })
    spendSet = await upload('spend', spend)
    const customers = await upload('customers', records, 4)
    for (const set of [spendSet, customers]) {
      const sealed = (await fetchShard(bob, projectId, set.manifest.shardId, set.manifest.holders))
        .shard
      const { dataKey } = DatasetManifestSchema.parse(
        openJson(bobKey, manifestContext(project, set.dataset), sealed),
      )
      dataKeys.push({ name: `data key of ${set.dataset}`, bytes: Buffer.from(dataKey, 'base64') })
    }
    const awaiting = (jobId: string) => ({
      client: bob,
      ledger: accounts.bob!.ledger,
      jobId,
      key: accounts.bob!.key,
      storage,
      timeoutMs: 120_000,
    })
    const statsJob = await submitStatsJob({
      client: bob,
      ledger: accounts.bob!.ledger,
      projectKey: bobKey,
      project,
      dataset: spendSet,
      threshold: 0n,
      submitter: 'bob',
    })
    stats = await awaitStatsResult(awaiting(statsJob))
    expect(stats.sum).toBe(spend.reduce((a, v) => a + v, 0n))
    const linearJob = await submitJob({
      client: bob,
      ledger: accounts.bob!.ledger,
      projectKey: bobKey,
      project,
      dataset: customers,
      params: { kind: 'linear', model },
      submitter: 'bob',
    })
    const linear = await awaitJobResult(awaiting(linearJob))
    if (linear.kind !== 'linear') throw new Error('not a linear result')
    linearOutputs = linear.outputs
    expect(linearOutputs[0]).toBe(
      records.slice(0, 4).reduce((y, x, i) => y + x * model.weights[i]!, model.bias),
    )

    revocation = await revokeAccess({
      client: alice,
      ledger: owner,
      project: await projectOverview(owner, projectId),
      me: accounts.alice!.key,
      ownKey,
      revoke: 'bob',
    })
    expect(revocation.nodes).toHaveLength(3)
    keyV2 = Buffer.from(unwrapProjectKey(revocation.own, accounts.alice!.key.privateKey).key)
    // the outsider heard both job announcements
    await eventually(() => gossip.length >= 2)
  }, 300_000)

  it('replayed key deliveries are refused, and a replayed credential from another peer is not believed', async () => {
    const deliveries = tappedDeliveries()
    const toNode = (node: TestNode, version: number) =>
      deliveries.find(d => d.version === version && d.recipient === node.account.key.fingerprint)!
    const node1 = nodes[0]!
    const replay = (to: TestNode, key: WrappedProjectKey) =>
      alice.deliverProjectKey(to.node.peerId, key).then(
        () => 'ok',
        (err: { code?: string }) => err.code,
      )
    // the version-1 delivery, after the rotation to version 2
    expect(await replay(node1, toNode(node1, 1))).toBe('no-grant')
    // node2's delivery, sent to node1: not the key the ledger granted node1
    expect(await replay(node1, toNode(nodes[1]!, 2))).toBe('no-grant')
    // the current delivery, again: accepted, and it changes nothing
    expect(await replay(node1, toNode(node1, 2))).toBe('ok')
    expect(Buffer.from((await node1.node.vault.projectKey(project)).key)).toEqual(keyV2)

    // bob's credential, lifted from a frame and sent from eve's peer: bound to bob's peer id
    const credential = frames
      .map(frame => (decodeFrame(frame).header as { credential?: { identity: string } }).credential)
      .find(c => c?.identity === 'bob')!
    expect(
      await sendRaw(
        eve,
        node1.node.host.peerId,
        'shard',
        framed({ op: 'get', credential, projectId, shardId: spendSet.manifest.shardId }),
      ),
    ).toBe('unauthenticated')

    // a node whose grant is revoked refuses even its own last delivery
    await accounts.alice!.ledger.revokeGrant(projectId, 'node3')
    expect(await replay(nodes[2]!, toNode(nodes[2]!, 2))).toBe('no-grant')
  }, 120_000)

  it('a node serving forged shards: the reader takes the other replica, or names the forger', async () => {
    // a shard on the two nodes still granted (node3, revoked above, refuses reads with
    // no-grant before it could serve anything, forged or not): one forges, one is honest
    const granted = storage.filter(s => s.identity !== nodes[2]!.account.name)
    const { shardId, holders } = await placeShard(alice, projectId, randomBytes(2048), granted, 2)
    const [first] = rankByCloseness(shardId, holders)
    const forger = nodes.find(n => n.account.name === first!.identity)!
    const honest = forger.node.store.get.bind(forger.node.store)
    forger.node.store.get = async id => {
      const bytes = Buffer.from(await honest(id))
      bytes[bytes.length - 1]! ^= 1
      return bytes
    }
    try {
      const read = await fetchShard(alice, projectId, shardId, holders)
      expect(read.from.identity).not.toBe(forger.account.name)
      await expect(fetchShard(alice, projectId, shardId, [first!])).rejects.toMatchObject({
        name: 'ShardUnavailableError',
        message: expect.stringContaining(`${forger.account.name}: peer`),
      })
      await expect(alice.getShard(forger.node.peerId, projectId, shardId)).rejects.toMatchObject({
        name: 'ShardMismatchError',
      })
    } finally {
      forger.node.store.get = honest
    }
  }, 60_000)

  it('forged proofs, a tampered manifest, a wrong password and an outsider get typed errors; every node keeps serving', async () => {
    const forgedJob = keccakId(`forged ${Date.now()}`)
    await accounts.alice!.ledger.submitJob(
      forgedJob,
      projectId,
      JOB_KINDS.stats,
      keccakId('spec'),
      spendSet.root,
    )
    await accounts.node2!.ledger.assignJob(forgedJob, 'node2')
    // real proofs with the hash of another result commitment, then bytes that are no proof at all
    const otherResult = stats.proofs.map(p => ({
      ...p,
      publicSignals: [String(BigInt(p.publicSignals[0]!) + 1n), ...p.publicSignals.slice(1)],
    }))
    await expect(
      accounts.node2!.ledger.completeJob(
        forgedJob,
        statsResultHash(otherResult),
        encodeStatsProofs(stats.proofs),
        [],
      ),
    ).rejects.toMatchObject({ name: 'LedgerRevertError' })
    await expect(
      accounts.node2!.ledger.completeJob(
        forgedJob,
        statsResultHash(stats.proofs),
        `0x${randomBytes(512).toString('hex')}`,
        [],
      ),
    ).rejects.toMatchObject({ name: 'LedgerRevertError' })
    expect((await accounts.alice!.ledger.job(forgedJob))!.status).toBe('assigned')

    // a sealed manifest with one byte flipped, and intact but opened as another dataset's
    // read from whichever holder serves it: node3, revoked above, serves no reads any more
    const { shardId: manifestId, holders: manifestHolders } = spendSet.manifest
    const sealedManifest = (await fetchShard(alice, projectId, manifestId, manifestHolders)).shard
    const tampered = Buffer.from(sealedManifest)
    tampered[tampered.length - 40]! ^= 1
    expect(() => openJson(bobKey, manifestContext(project, 'spend'), tampered)).toThrow(
      expect.objectContaining({ name: 'EnvelopeAuthError' }),
    )
    expect(() => openJson(bobKey, manifestContext(project, 'customers'), sealedManifest)).toThrow(
      expect.objectContaining({ name: 'EnvelopeAuthError' }),
    )

    await expect(openMasterKey('alice passw0rd', accounts.alice!.record)).rejects.toMatchObject({
      name: 'WrongMasterPasswordError',
    })

    const carol = await startClient(accounts.carol!, nodes[0]!)
    try {
      const refusedWith = (code: string) =>
        expect.objectContaining({ name: 'PeerRefusedError', code })
      // any node refuses her, whether it holds the shard or not
      const { shardId } = spendSet.manifest
      await expect(carol.getShard(nodes[0]!.node.peerId, projectId, shardId)).rejects.toThrow(
        refusedWith('unauthorized'),
      )
      await expect(
        carol.putShard(nodes[0]!.node.peerId, projectId, randomBytes(64)),
      ).rejects.toThrow(refusedWith('unauthorized'))
      await expect(
        carol.deliverSecret(nodes[0]!.node.peerId, project, 'api', randomBytes(300)),
      ).rejects.toThrow(refusedWith('unauthorized'))
    } finally {
      await carol.stop()
    }
    for (const n of nodes.slice(0, 2)) {
      const { shardId } = await alice.putShard(n.node.peerId, projectId, randomBytes(100))
      expect((await alice.getShard(n.node.peerId, projectId, shardId)).length).toBe(100)
    }
    expect(nodes[0]!.node.metrics.refusals('key', 'no-grant')).toBeGreaterThan(0)
  }, 120_000)

  it('nothing secret leaked: no key (project or dataset), password, input value, model or secret in any frame, gossip message, transaction, log or node store', async () => {
    const { shardId, holders } = spendSet.manifest
    const { shard: sealedManifest, from } = await fetchShard(alice, projectId, shardId, holders)
    for (const n of nodes) await n.node.stop()
    const haystacks: Haystack[] = [
      ...frames.map((bytes, i) => ({ name: `frame ${i}`, bytes })),
      ...gossip.map((bytes, i) => ({ name: `gossip message ${i}`, bytes })),
      ...(await chainData(fixture)),
      ...(await storedData(nodes)),
    ]
    const needles: Needle[] = [
      { name: 'project key v1', bytes: keyV1 },
      { name: 'project key v2', bytes: keyV2 },
      ...dataKeys,
      ...Object.values(accounts).flatMap(privateKeyParts),
      ...Object.keys(accounts).map(name => ({
        name: `${name}'s password`,
        bytes: Buffer.from(`${name} password`),
      })),
      ...[...spend, ...records].flatMap((v, i) => valueForms(`input value ${i}`, v)),
      ...[...model.weights, model.bias].flatMap((v, i) => valueForms(`model parameter ${i}`, v)),
      { name: 'the secret token', bytes: Buffer.from(canary) },
    ]
    expect(haystacks.length).toBeGreaterThan(100)
    expect(findLeaks(haystacks, needles)).toEqual([])

    // the scan sees what does travel: sealed shards on the wire and on disk, roots on chain
    const seen = findLeaks(haystacks, [
      { name: 'sealed manifest', bytes: sealedManifest.subarray(0, 64) },
      { name: 'dataset root', bytes: Buffer.from(spendSet.root.slice(2), 'hex') },
    ]).map(leak => `${leak.needle} in ${leak.haystack.split(' ')[0]}`)
    expect(seen).toEqual(
      expect.arrayContaining([
        'sealed manifest in frame',
        `sealed manifest in ${from.identity}`,
        'dataset root in block',
      ]),
    )
  }, 120_000)

  it("the chain learns no job result: no chunk's sums, no total, no model output, only their commitments (README design note 22)", async () => {
    const chain = await chainData(fixture)
    const chunks = Array.from({ length: Math.ceil(spend.length / SIZE) }, (_, c) =>
      spend.slice(c * SIZE, (c + 1) * SIZE),
    )
    // numbers below 2^16 also stand for ABI offsets and lengths: only larger ones are needles
    const large = (v: bigint) => v >= 1n << 16n || v <= -(1n << 16n)
    const results = [
      ...chunks.flatMap((chunk, c) => [
        [`chunk ${c} sum`, chunk.reduce((a, v) => a + v, 0n)] as const,
        [`chunk ${c} sum of squares`, chunk.reduce((a, v) => a + v * v, 0n)] as const,
      ]),
      ['total sum', stats.sum] as const,
      ['total sum of squares', stats.sumOfSquares] as const,
      ...linearOutputs.map((y, i) => [`record ${i} output`, y] as const),
    ].filter(([, v]) => large(v))
    expect(results.length).toBeGreaterThan(8)
    const needles = results.flatMap(([name, v]) => valueForms(name, v))
    expect(findLeaks(chain, needles)).toEqual([])
    // what it holds instead: each chunk's salted result commitment, in the completing call
    const commitment = BigInt(stats.proofs[0]!.publicSignals[0]!)
    expect(
      findLeaks(chain, valueForms('first result commitment', commitment)).map(l => l.needle),
    ).toContain('first result commitment (word)')
  }, 60_000)
})

/** A private key's secret parts (d, p, q and the CRT values), each a needle. */
function privateKeyParts(account: Account): Needle[] {
  const jwk = account.key.privateKey.export({ format: 'jwk' })
  return (['d', 'p', 'q', 'dp', 'dq', 'qi'] as const).map(part => ({
    name: `${account.name}'s private key ${part}`,
    bytes: Buffer.from(jwk[part]!, 'base64url'),
  }))
}

/** A number as a decimal string and as the 32-byte word an ABI encoding would hold. */
function valueForms(name: string, value: bigint): Needle[] {
  const word = Buffer.from(BigInt.asUintN(256, value).toString(16).padStart(64, '0'), 'hex')
  return [
    { name: `${name} (decimal)`, bytes: Buffer.from(value.toString()) },
    { name: `${name} (word)`, bytes: word },
  ]
}

/** Every transaction's calldata and every log, block by block. */
async function chainData(fixture: Fixture): Promise<Haystack[]> {
  const { provider } = fixture.chain
  const out: Haystack[] = []
  const latest = await provider.getBlockNumber()
  for (let n = 0; n <= latest; n++) {
    const block = await provider.getBlock(n, true)
    for (const tx of block?.prefetchedTransactions ?? [])
      out.push({ name: `block ${n} calldata`, bytes: Buffer.from(tx.data.slice(2), 'hex') })
  }
  for (const log of await provider.getLogs({ fromBlock: 0, toBlock: latest })) {
    const bytes = Buffer.from([log.data, ...log.topics].map(h => h.slice(2)).join(''), 'hex')
    out.push({ name: `block ${log.blockNumber} log`, bytes })
  }
  return out
}

/** Each stopped node's LevelDB entries, and the raw files beside them (deleted entries linger there). */
async function storedData(nodes: readonly TestNode[]): Promise<Haystack[]> {
  const out: Haystack[] = []
  for (const n of nodes) {
    const files = await filesUnder(n.dataDir)
    // every file first: opening a LevelDB rewrites its manifest
    for (const file of files)
      out.push({ name: `${n.account.name} file ${file}`, bytes: await readFile(file) })
    for (const current of files.filter(f => f.endsWith('/CURRENT'))) {
      const db = new Level<Uint8Array, Uint8Array>(join(current, '..'), {
        keyEncoding: 'view',
        valueEncoding: 'view',
      })
      const entries: Uint8Array[] = []
      for await (const [key, value] of db.iterator()) entries.push(key, value)
      await db.close()
      out.push({ name: `${n.account.name} LevelDB ${current}`, bytes: Buffer.concat(entries) })
    }
  }
  return out
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry)
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)))
    else out.push(path)
  }
  return out
}
