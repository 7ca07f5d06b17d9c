/** Real Sealnet nodes on loopback over a fixture's chain, registered on its ledger. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { SealnetNode, type SealnetNodeInit } from '../node/sealnet-node.ts'
import {
  createProjectKey,
  importPublicKey,
  type ProjectKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../protocol/crypto/index.ts'
import { type Ledger, projectIdOf } from '../protocol/ledger/index.ts'
import type { JobCircuitSizes, StorageNode } from '../protocol/wire/index.ts'
import { PeerClient } from '../protocol/wire/index.ts'
import { type Account, type Fixture, startFixture } from './ledger-fixture.ts'

export interface TestNode {
  account: Account
  node: SealnetNode
  dataDir: string
  /** Starts the same node again on its data folder (after stop()). */
  restart(): Promise<void>
}

type Options = Partial<Omit<SealnetNodeInit, 'key' | 'dataDir' | 'ledger'>>

// SEALNET_TEST_LOG=FILE: every test node logs at debug level to FILE, for a flaky run's story
const debugLog = process.env.SEALNET_TEST_LOG
  ? pino({ level: 'debug' }, pino.destination(process.env.SEALNET_TEST_LOG))
  : undefined

async function startNode(
  account: Account,
  dataDir: string,
  options: Options,
): Promise<SealnetNode> {
  const node = new SealnetNode({
    key: account.key,
    dataDir,
    ledger: account.ledger,
    accessFlushMs: 60_000,
    retentionSweepMs: 3_600_000,
    ...(debugLog ? { logger: debugLog } : {}),
    ...options,
  })
  await node.start()
  return node
}

/**
 * Starts one node per account; the first is everyone's bootstrap peer. Each registers
 * its identity with its peer id unless it already is registered.
 */
export async function startNodes(accounts: Account[], options: Options = {}): Promise<TestNode[]> {
  const nodes: TestNode[] = []
  for (const account of accounts) {
    const dataDir = await mkdtemp(join(tmpdir(), `sealnet-${account.name}-`))
    const bootstrap = nodes.length ? nodes[0]!.node.multiaddrs : undefined
    const node = await startNode(account, dataDir, { bootstrap, ...options })
    if (!(await account.ledger.identity(account.name))) {
      await account.ledger.registerIdentity('node', account.record, node.peerId)
    }
    // a restarted node listens where it did, as an operator's fixed port would
    const listen = node.multiaddrs.map(addr => addr.split('/p2p/')[0]!)
    const entry: TestNode = {
      account,
      node,
      dataDir,
      restart: async () => {
        entry.node = await startNode(account, dataDir, { ...options, bootstrap, listen })
      },
    }
    nodes.push(entry)
  }
  return nodes
}

export async function stopNodes(nodes: TestNode[]): Promise<void> {
  await Promise.all(nodes.map(n => n.node.stop()))
  await Promise.all(nodes.map(n => rm(n.dataDir, { recursive: true, force: true })))
}

export async function startClient(account: Account, bootstrapNode: TestNode): Promise<PeerClient> {
  const client = new PeerClient({
    key: account.key,
    bootstrap: bootstrapNode.node.multiaddrs,
    timeoutMs: 10_000,
  })
  await client.start()
  return client
}

export interface OneNodeProject {
  fixture: Fixture
  nodes: TestNode[]
  /** The project owner's client, connected to the node. */
  alice: PeerClient
  projectId: string
  stop(): Promise<void>
}

/** A fresh chain, one node granted project `name`, and its owner alice connected to it. */
export async function startOneNodeProject(
  name: string,
  options: Options = {},
): Promise<OneNodeProject> {
  const fixture = await startFixture({ verifier: false })
  const { alice: owner, node1 } = fixture.accounts
  await owner.ledger.registerIdentity('user', owner.record)
  const projectId = await owner.ledger.createProject(name, 0)
  const nodes = await startNodes([node1], options)
  const measurement = nodes[0]!.node.measurement
  await owner.ledger.allowMeasurement(projectId, measurement)
  await owner.ledger.recordGrant(projectId, 'node1', 1, 'ab'.repeat(32), measurement)
  const alice = await startClient(owner, nodes[0]!)
  return {
    fixture,
    nodes,
    alice,
    projectId,
    async stop() {
      await alice.stop()
      await stopNodes(nodes)
      await fixture.chain.close()
    },
  }
}

/** Grants `key` to each of `nodes` on chain, with its measurement, and delivers it wrapped to it. */
export async function grantKeyToNodes(
  owner: Ledger,
  client: PeerClient,
  nodes: readonly TestNode[],
  key: ProjectKey,
): Promise<void> {
  const projectId = projectIdOf(key.projectId)
  for (const n of nodes) {
    const wrapped = wrapProjectKey(
      key,
      importPublicKey((await owner.identity(n.account.name))!.publicKey),
    )
    await owner.recordGrant(
      projectId,
      n.account.name,
      key.version,
      wrappedKeyDigest(wrapped),
      n.node.measurement,
    )
    await client.deliverProjectKey(n.node.peerId, wrapped)
  }
}

export interface ProjectNetwork {
  fixture: Fixture
  accounts: Record<string, Account>
  nodes: TestNode[]
  /** The owner alice's client, joined through the first node. */
  alice: PeerClient
  /** The nodes as placement targets. */
  storage: StorageNode[]
  projectId: string
  projectKey: ProjectKey
  stop(): Promise<void>
}

/**
 * A fresh chain and project `project` owned by alice: `users` registered too (alice always
 * is), `members` given the member role, nodes node1… started, allowlisted and granted the
 * project key; alice's client joined through node1.
 */
export async function startProjectNetwork(options: {
  project: string
  users?: string[]
  members?: string[]
  nodes?: number
  /** Real Groth16 verifiers of these sizes; the nodes run jobs of these sizes. */
  circuits?: JobCircuitSizes
  node?: Options
}): Promise<ProjectNetwork> {
  const fixture = await startFixture({
    verifier: options.circuits ?? false,
    nodes: options.nodes,
  })
  const accounts = fixture.accounts as Record<string, Account>
  const owner = accounts.alice!.ledger
  for (const name of ['alice', ...(options.users ?? [])])
    await accounts[name]!.ledger.registerIdentity('user', accounts[name]!.record)
  const projectId = await owner.createProject(options.project, 0)
  for (const name of options.members ?? [])
    await owner.grantRole(projectId, 'member', accounts[name]!.address)
  const nodeAccounts = Array.from(
    { length: options.nodes ?? 2 },
    (_, i) => accounts[`node${i + 1}`]!,
  )
  const nodes = await startNodes(nodeAccounts, {
    ...(options.circuits ? { jobs: { ...options.circuits, watchIntervalMs: 500 } } : {}),
    ...options.node,
  })
  await owner.allowMeasurement(projectId, nodes[0]!.node.measurement)
  const alice = await startClient(accounts.alice!, nodes[0]!)
  const projectKey = createProjectKey(options.project)
  await grantKeyToNodes(owner, alice, nodes, projectKey)
  return {
    fixture,
    accounts,
    nodes,
    alice,
    storage: nodes.map(n => ({ identity: n.account.name, peerId: n.node.peerId })),
    projectId,
    projectKey,
    async stop() {
      await alice.stop()
      await stopNodes(nodes)
      await fixture.chain.close()
    },
  }
}
