/**
 * A project on N real nodes in this process (libp2p, LevelDB, the in-process chain with
 * the real Groth16 verifiers of the given sizes): each node registered with an account
 * derived from its key, as in production, and granted the project key; one client, the
 * project's owner. The jobs bench and the load test run on it.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { deployJobVerifiers, deployLedger, startInProcessChain } from '../dev-chain/index.ts'
import { SealnetNode, type SealnetNodeInit } from '../node/sealnet-node.ts'
import {
  createMasterKeyRecord,
  createProjectKey,
  deriveMasterKey,
  importPublicKey,
  type MasterKey,
  type ProjectKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../protocol/crypto/index.ts'
import { type Chain, Ledger, ownWallet } from '../protocol/ledger/index.ts'
import { PeerClient, type StorageNode } from '../protocol/wire/index.ts'

const FAST = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } } as const

export interface JobNetwork {
  chain: Chain
  /** The project owner's ledger, key and client. */
  owner: Ledger
  ownerKey: MasterKey
  client: PeerClient
  project: string
  projectId: string
  projectKey: ProjectKey
  nodes: SealnetNode[]
  storage: StorageNode[]
  close(): Promise<void>
}

export async function startJobNetwork(
  nodeCount: number,
  sizes: NonNullable<SealnetNodeInit['jobs']>,
): Promise<JobNetwork> {
  const chain = await startInProcessChain()
  const dir = await mkdtemp(join(tmpdir(), 'sealnet-job-network-'))
  const signers = await Promise.all([0, 1].map(i => chain.provider.getSigner(i)))
  const deployment = await deployLedger(signers[0]!, {
    verifier: await deployJobVerifiers(signers[0]!, sizes),
  })
  const owner = await Ledger.connect(signers[1]!, deployment)
  const ownerKey = await deriveMasterKey('pw', 'bench-alice', FAST)
  await owner.registerIdentity('user', createMasterKeyRecord(ownerKey))
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
      jobs: sizes,
    })
    await node.start()
    await ledger.registerIdentity('node', createMasterKeyRecord(key), node.peerId)
    if (i === 0) await owner.allowMeasurement(projectId, node.measurement)
    nodes.push(node)
  }
  const client = new PeerClient({ key: ownerKey, bootstrap: nodes[0]!.multiaddrs })
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
    chain,
    owner,
    ownerKey,
    client,
    project,
    projectId,
    projectKey,
    nodes,
    storage,
    async close() {
      await client.stop()
      await Promise.all(nodes.map(n => n.stop()))
      await chain.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
