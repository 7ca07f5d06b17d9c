/**
 * Who runs a user command: the identity named by --identity or by <home>/identity.json
 * (which `sealnet key init` writes), its master key re-derived from the password and
 * checked against its registered record, the ledger as the key's own EVM account (funded
 * on a development chain), and, on demand, a libp2p client joined through --peer.
 * @module
 */
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Command } from 'commander'
import type { Wallet } from 'ethers'
import {
  type MasterKey,
  type MasterKeyRecord,
  openMasterKey,
  type ProjectKey,
  projectKeysByVersion,
  unwrapProjectKey,
  type WrappedProjectKey,
} from '../../protocol/crypto/index.ts'
import { type Ledger, ownWallet, projectIdOf } from '../../protocol/ledger/index.ts'
import {
  type DatasetSource,
  fetchShard,
  PeerClient,
  type StorageNode,
} from '../../protocol/wire/index.ts'
import { SESSION_REQUEST_TIMEOUT_MS } from '../sdk/constants.ts'
import {
  FileIdentityDirectory,
  fetchGrant,
  hasDeployment,
  LedgerIdentityDirectory,
  type LedgerLocation,
  liveDataset,
  NoGrantError,
  NoProjectNodesError,
  openLedger,
  ProjectKeyring,
  type ProjectOverview,
  projectNodes,
  projectOverview,
  UnknownIdentityError,
  UnknownProjectError,
  writeFileAtomic,
} from '../sdk/index.ts'
import { identitiesFolder } from './commands/key-paths.ts'
import { type GlobalOptions, readPassword, sealnetHome, UsageError } from './io.ts'

export interface UserOptions {
  identity?: string
  passwordFile?: string
  peer?: string[]
}

/** Adds the options every user command takes: who, the password, and a node to join through. */
export function withUserOptions(command: Command): Command {
  return command
    .option(
      '-i, --identity <identity>',
      'who you are (default: the identity "sealnet key init" saved in <home>)',
    )
    .option(
      '--password-file <file>',
      'read the password from the first line of a file (else $SEALNET_PASSWORD, else a prompt)',
    )
    .option(
      '--peer <multiaddr...>',
      'a node to join the network through, with its /p2p/ id (else $SEALNET_PEERS, space-separated)',
    )
}

function identityFile(home: string): string {
  return join(home, 'identity.json')
}

/** Remembers the identity `sealnet key init` set up, so later commands need no --identity. */
export async function saveCurrentIdentity(home: string, identity: string): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 })
  await writeFileAtomic(identityFile(home), `${JSON.stringify({ identity }, null, 2)}\n`)
}

export async function currentIdentity(home: string, explicit?: string): Promise<string> {
  if (explicit) return explicit
  const text = await readFile(identityFile(home), 'utf8').catch(() => undefined)
  const identity = text && (JSON.parse(text) as { identity?: unknown }).identity
  if (typeof identity !== 'string')
    throw new UsageError('no identity: run "sealnet key init" first, or pass --identity')
  return identity
}

export function chainLocation(global: GlobalOptions): LedgerLocation {
  return { home: sealnetHome(global), rpc: global.rpc, deployment: global.deployment }
}

/**
 * An identity's public record: from the ledger if it has it, else from <home>/identities
 * (set up offline, registered on first use). UnknownIdentityError if neither has it.
 */
async function findRecord(
  ledger: Ledger | undefined,
  home: string,
  identity: string,
): Promise<{ record: MasterKeyRecord; onChain: boolean }> {
  const onChain = ledger && (await new LedgerIdentityDirectory(ledger).lookup(identity))
  if (onChain) return { record: onChain, onChain: true }
  const local = await new FileIdentityDirectory(identitiesFolder(home)).lookup(identity)
  if (!local) throw new UnknownIdentityError(identity)
  return { record: local, onChain: false }
}

/** An identity's public record, from the configured chain if there is one (see findRecord). */
export async function lookupRecord(
  global: GlobalOptions,
  identity: string,
): Promise<MasterKeyRecord> {
  const location = chainLocation(global)
  if (!(await hasDeployment(location)))
    return (await findRecord(undefined, location.home, identity)).record
  const { ledger, close } = await openLedger(location)
  try {
    return (await findRecord(ledger, location.home, identity)).record
  } finally {
    await close()
  }
}

/** Progress and notes go to stderr, so stdout stays the command's result. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`)
}

export class UserSession {
  readonly identity: string
  readonly key: MasterKey
  readonly ledger: Ledger
  /** The EVM account the master key controls (lower case). */
  readonly address: string
  /** That account's signer (EIP-712 approvals are signed with it). */
  readonly signer: Wallet
  readonly home: string
  readonly keyring: ProjectKeyring
  readonly #close: () => Promise<void>
  readonly #peers: string[]
  #client: PeerClient | undefined

  private constructor(init: {
    key: MasterKey
    ledger: Ledger
    signer: Wallet
    home: string
    peers: string[]
    close(): Promise<void>
  }) {
    this.identity = init.key.identity
    this.key = init.key
    this.ledger = init.ledger
    this.signer = init.signer
    this.address = init.signer.address.toLowerCase()
    this.home = init.home
    this.keyring = new ProjectKeyring(join(init.home, 'projects'))
    this.#peers = init.peers
    this.#close = init.close
  }

  /**
   * Opens the session; WrongMasterPasswordError for a wrong password. An identity set up
   * offline (its record only in <home>/identities) is registered on the ledger on first use.
   */
  static async open(global: GlobalOptions, options: UserOptions): Promise<UserSession> {
    const home = sealnetHome(global)
    const identity = await currentIdentity(home, options.identity)
    const password = await readPassword(options)
    const opened = await openLedger(chainLocation(global))
    try {
      const { record, onChain } = await findRecord(opened.ledger, home, identity)
      note(`opening the master key of ${identity} …`)
      const key = await openMasterKey(password, record)
      const wallet = await ownWallet(opened.chain, key.privateKey, { fund: true })
      const ledger = opened.ledger.as(wallet)
      if (!onChain) {
        note(`registering ${identity} on the ledger …`)
        await new LedgerIdentityDirectory(ledger).register(record)
      }
      const peers =
        options.peer && options.peer.length > 0
          ? options.peer
          : (process.env.SEALNET_PEERS ?? '').split(/\s+/).filter(Boolean)
      return new UserSession({
        key,
        ledger,
        signer: wallet,
        home,
        peers,
        close: opened.close,
      })
    } catch (err) {
      await opened.close()
      throw err
    }
  }

  /** A libp2p client acting as this identity, joined through the --peer nodes. */
  async client(): Promise<PeerClient> {
    if (this.#client) return this.#client
    if (this.#peers.length === 0)
      throw new UsageError(
        'no node to talk to: pass --peer MULTIADDR (printed by "sealnet node start") or set $SEALNET_PEERS',
      )
    const client = new PeerClient({
      key: this.key,
      bootstrap: this.#peers,
      timeoutMs: SESSION_REQUEST_TIMEOUT_MS,
    })
    await client.start()
    this.#client = client
    return client
  }

  /** The project's on-chain overview; UnknownProjectError if the chain has no such project. */
  async project(name: string): Promise<ProjectOverview> {
    const overview = await projectOverview(this.ledger, projectIdOf(name))
    if (!overview.name) throw new UnknownProjectError(name)
    return overview
  }

  /** The nodes holding the project's current key; NoProjectNodesError if there are none. */
  async storage(project: ProjectOverview): Promise<StorageNode[]> {
    const nodes = projectNodes(project)
    if (nodes.length === 0) throw new NoProjectNodesError(project.name)
    return nodes
  }

  /**
   * Where committed dataset `name` is read from: the manifest shard the chain names, the
   * project's nodes, and `keys` (this user's, by version). UnknownDatasetError if the
   * chain has no such dataset, DatasetErasedError if it was erased.
   */
  async datasetSource(
    project: ProjectOverview,
    name: string,
    keys: ReturnType<UserSession['projectKeys']>,
  ): Promise<DatasetSource> {
    const committed = await liveDataset(this.ledger, project, name)
    const client = await this.client()
    return {
      keyFor: keys.keyFor,
      project: project.name,
      dataset: name,
      manifest: { shardId: committed.manifestShardId, holders: await this.storage(project) },
      committedRoot: committed.root,
      readShard: async (shardId, holders, projectId) =>
        (await fetchShard(client, projectId, shardId, holders)).shard,
    }
  }

  /**
   * This user's wrapped key of the project's current version: from <home>/projects, else
   * fetched from the project's nodes by the hash of the grant on chain (and kept).
   */
  async wrappedProjectKey(project: ProjectOverview): Promise<WrappedProjectKey> {
    const kept = await this.keyring.load(project.name, project.keyVersion)
    if (kept) return kept
    note(`fetching your key of ${project.name} from its nodes …`)
    const fetched = await fetchGrant({
      client: await this.client(),
      ledger: this.ledger,
      project: project.name,
      identity: this.identity,
      storage: await this.storage(project),
    })
    await this.keyring.save(fetched)
    return fetched
  }

  /**
   * The project's keys by version, for reading data sealed before and after rotations;
   * release() zeroes them. NoGrantError for a version this user was never given.
   */
  projectKeys(project: ProjectOverview): ReturnType<typeof projectKeysByVersion> {
    return projectKeysByVersion(async version => {
      const wrapped =
        (await this.keyring.load(project.name, version)) ?? (await this.wrappedProjectKey(project))
      if (wrapped.version !== version) throw new NoGrantError(project.name, this.identity, version)
      return unwrapProjectKey(wrapped, this.key.privateKey)
    })
  }

  /** The project key, unwrapped; fill its bytes with 0 when done. */
  async projectKey(project: ProjectOverview): Promise<ProjectKey> {
    return unwrapProjectKey(await this.wrappedProjectKey(project), this.key.privateKey)
  }

  async close(): Promise<void> {
    await this.#client?.stop()
    await this.#close()
  }
}

/** Runs `work` in a session and always closes it. */
export async function withSession<T>(
  global: GlobalOptions,
  options: UserOptions,
  work: (session: UserSession) => Promise<T>,
): Promise<T> {
  const session = await UserSession.open(global, options)
  try {
    return await work(session)
  } finally {
    await session.close()
  }
}
