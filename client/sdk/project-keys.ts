/**
 * Where a user's project keys live: wrapped to the user's own public key, in a folder
 * (safe on disk: only the master key opens them). A teammate's key travels through the
 * project's nodes: the sharer deposits the wrapped key there as a shard, whose SHA-256 is
 * the hash the grant records on chain, so the teammate finds it by that hash and the chain
 * vouches for what the nodes return.
 * @module
 */

import type { KeyObject } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  parseWrappedKeyBytes,
  type WrappedProjectKey,
  wrappedKeyBytes,
  wrappedKeyDigest,
} from '../../protocol/crypto/index.ts'
import { type Ledger, projectIdOf } from '../../protocol/ledger/index.ts'
import {
  fetchShard,
  type PeerClient,
  placeShard,
  type StorageNode,
} from '../../protocol/wire/index.ts'
import { writeFileAtomic } from './atomic-file.ts'
import { NoGrantError, NoProjectNodesError } from './errors.ts'
import { LedgerIdentityDirectory } from './ledger-identity-directory.ts'
import { shareProjectKey } from './share-project-key.ts'

export class ProjectKeyring {
  readonly folder: string

  constructor(folder: string) {
    this.folder = folder
  }

  #file(project: string, version: number): string {
    return join(this.folder, `${Buffer.from(project, 'utf8').toString('hex')}.v${version}.json`)
  }

  async save(wrapped: WrappedProjectKey): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 })
    await writeFileAtomic(
      this.#file(wrapped.projectId, wrapped.version),
      Buffer.from(wrappedKeyBytes(wrapped)),
    )
  }

  async load(project: string, version: number): Promise<WrappedProjectKey | undefined> {
    const bytes = await readFile(this.#file(project, version)).catch(err => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    })
    return bytes && parseWrappedKeyBytes(bytes)
  }
}

/** Leaves a grantee's wrapped key with the project's nodes, under its grant hash. */
export async function depositGrant(
  client: PeerClient,
  wrapped: WrappedProjectKey,
  storage: readonly StorageNode[],
): Promise<void> {
  await placeShard(client, projectIdOf(wrapped.projectId), wrappedKeyBytes(wrapped), storage)
}

/**
 * Fetches `identity`'s wrapped key of `project` from the project's nodes, by the hash its
 * grant records on chain (fetchShard re-checks the hash). NoGrantError without a grant.
 */
export async function fetchGrant(options: {
  client: PeerClient
  ledger: Ledger
  project: string
  identity: string
  storage: readonly StorageNode[]
}): Promise<WrappedProjectKey> {
  const { client, ledger, project, identity, storage } = options
  const grant = await ledger.grantOf(projectIdOf(project), identity)
  if (grant.keyVersion === 0) throw new NoGrantError(project, identity)
  const { shard } = await fetchShard(client, projectIdOf(project), grant.wrappedKeyHash, storage)
  return parseWrappedKeyBytes(shard)
}

/**
 * Gives a teammate the project key: re-wrapped to the key the ledger has for them, left
 * with the project's nodes, and only then its grant recorded on chain. Returns the grant.
 * NoProjectNodesError when no node could hold it.
 */
export async function grantToMember(options: {
  client: PeerClient
  ledger: Ledger
  /** The granter's own wrapped key, and the private key that opens it. */
  ownKey: WrappedProjectKey
  privateKey: KeyObject
  identity: string
  storage: readonly StorageNode[]
}): Promise<WrappedProjectKey> {
  const { ledger, ownKey, identity, storage } = options
  if (storage.length === 0) throw new NoProjectNodesError(ownKey.projectId)
  const grant = await shareProjectKey(
    new LedgerIdentityDirectory(ledger),
    ownKey,
    options.privateKey,
    identity,
  )
  await depositGrant(options.client, grant, storage)
  await ledger.recordGrant(
    projectIdOf(grant.projectId),
    identity,
    grant.version,
    wrappedKeyDigest(grant),
  )
  return grant
}
