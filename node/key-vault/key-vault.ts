/**
 * The node's key vault: what the node must keep secret, at rest only in sealed form.
 *
 * - The node's RSA private key is never stored: the node re-derives it from its secret
 *   (derive-master-key.ts) when it starts, and hands it to the vault in memory.
 * - Project keys are kept exactly as delivered, RSA-OAEP-wrapped to the node's key; a
 *   delivery is refused unless it names this node and actually unwraps.
 * - Other secrets (the libp2p peer key, say) are sealed to the node's own public key.
 * @module
 */

import { createPublicKey, type KeyObject } from 'node:crypto'
import { Level } from 'level'
import {
  fromBase64,
  openSealedBox,
  type ProjectKey,
  publicKeyFingerprint,
  sealToPublicKey,
  toBase64,
  UnwrapError,
  unwrapProjectKey,
  type WrappedProjectKey,
} from '../../protocol/crypto/index.ts'
import { projectIdOf } from '../../protocol/ledger/index.ts'
import { assertName, nameProblem } from '../../protocol/names.ts'
import { SealnetError } from '../../protocol/sealnet-error.ts'
import { StoreNotStartedError } from '../shard-store/errors.ts'

export class ProjectKeyNotHeldError extends SealnetError {
  readonly code = 'project-key-not-held'
  constructor(projectId: string, version?: number) {
    super(
      `This node holds no key for project ${projectId}${version === undefined ? '' : ` version ${version}`}`,
    )
  }
}

export interface KeyVaultInit {
  /** Folder of the LevelDB database. */
  path: string
  /** The node's master private key, re-derived from its secret at start. */
  privateKey: KeyObject
}

/**
 * Project keys live under `k!<projectId>!<version>`: the project's on-chain id (keccak of
 * its name, 64 hex digits) and a 10-digit version, so every key of a project shares one
 * fixed-width prefix that no other project's keys can fall inside. (Keys were once under
 * `p!<name>\0<version>`, where the range for `acme` also held `acme\0x`'s keys; start()
 * moves such entries.)
 */
const PROJECT = 'k!'
const LEGACY_PROJECT = 'p!'
const SEALED = 'x!'

const projectPrefix = (project: string) => `${PROJECT}${projectIdOf(project).slice(2)}!`
const versionKey = (project: string, version: number) =>
  `${projectPrefix(project)}${String(version).padStart(10, '0')}`

/**
 * @example
 * const vault = new KeyVault({ path: 'data/vault', privateKey: nodeKey.privateKey }); await vault.start()
 * await vault.putProjectKey(delivered); const key = await vault.projectKey(projectId)
 */
export class KeyVault {
  readonly path: string
  readonly #privateKey: KeyObject
  readonly #publicKey: KeyObject
  readonly fingerprint: string
  #db: Level<string, string> | undefined

  constructor(init: KeyVaultInit) {
    this.path = init.path
    this.#privateKey = init.privateKey
    this.#publicKey = createPublicKey(init.privateKey)
    this.fingerprint = publicKeyFingerprint(this.#publicKey)
  }

  async start(): Promise<void> {
    if (this.#db) return
    const db = new Level<string, string>(this.path, { valueEncoding: 'utf8' })
    await db.open()
    this.#db = db
    await this.#moveLegacyKeys(db)
  }

  /** Re-keys entries of the old `p!<name>\0<version>` layout, from the key each one holds. */
  async #moveLegacyKeys(db: Level<string, string>): Promise<void> {
    const moves: Array<{ type: 'put' | 'del'; key: string; value?: string }> = []
    // every key starting `p!`: up to `p"`, the next prefix
    for await (const [key, value] of db.iterator({ gte: LEGACY_PROJECT, lt: 'p"' })) {
      moves.push({ type: 'del', key })
      const wrapped = JSON.parse(value) as WrappedProjectKey
      // a name no longer valid (a control character) is dropped, not carried over
      if (nameProblem(wrapped.projectId) === undefined)
        moves.push({ type: 'put', key: versionKey(wrapped.projectId, wrapped.version), value })
    }
    if (moves.length > 0) await db.batch(moves as never)
  }

  async stop(): Promise<void> {
    await this.#db?.close()
    this.#db = undefined
  }

  #open(): Level<string, string> {
    if (!this.#db) throw new StoreNotStartedError()
    return this.#db
  }

  /**
   * Keeps a delivered project key. Throws UnwrapError, storing nothing, unless it was
   * wrapped for this node and unwraps.
   */
  async putProjectKey(wrapped: WrappedProjectKey): Promise<void> {
    const db = this.#open()
    assertName('project', wrapped.projectId)
    if (wrapped.recipient !== this.fingerprint) {
      throw new UnwrapError(
        `this key was wrapped for ${wrapped.recipient.slice(0, 16)}…, not for this node (${this.fingerprint.slice(0, 16)}…)`,
      )
    }
    unwrapProjectKey(wrapped, this.#privateKey).key.fill(0)
    await db.put(versionKey(wrapped.projectId, wrapped.version), JSON.stringify(wrapped))
  }

  /** The project key (latest version unless one is named), unwrapped in memory only. */
  async projectKey(projectId: string, version?: number): Promise<ProjectKey> {
    const db = this.#open()
    let text: string | undefined
    if (version !== undefined) {
      text = await db.get(versionKey(projectId, version))
    } else {
      const prefix = projectPrefix(projectId)
      for await (const value of db.values({
        gte: prefix,
        lt: `${prefix}~`,
        reverse: true,
        limit: 1,
      }))
        text = value
    }
    if (text === undefined) throw new ProjectKeyNotHeldError(projectId, version)
    return unwrapProjectKey(JSON.parse(text) as WrappedProjectKey, this.#privateKey)
  }

  /** Forgets every version of a project's key (crypto-shredding on this node). */
  async deleteProjectKeys(projectId: string): Promise<number> {
    const db = this.#open()
    const keys: string[] = []
    const prefix = projectPrefix(projectId)
    for await (const key of db.keys({ gte: prefix, lt: `${prefix}~` })) keys.push(key)
    await db.batch(keys.map(key => ({ type: 'del' as const, key })))
    return keys.length
  }

  /** Seals `secret` to the node's own key and keeps it under `name`. */
  async putSecret(name: string, secret: Uint8Array): Promise<void> {
    await this.#open().put(
      SEALED + name,
      toBase64(sealToPublicKey(this.#publicKey, secret, `node-vault\0${name}`)),
    )
  }

  /**
   * Keeps a secret delivered as a sealed box to this node's key (sealToPublicKey with
   * `purpose`). Throws UnwrapError, storing nothing, unless it opens.
   */
  async acceptSealedSecret(name: string, box: Uint8Array, purpose: string): Promise<void> {
    const secret = openSealedBox(this.#privateKey, box, purpose)
    try {
      await this.putSecret(name, secret)
    } finally {
      secret.fill(0)
    }
  }

  /** Opens a secret kept with putSecret, or undefined if there is none. */
  async getSecret(name: string): Promise<Uint8Array | undefined> {
    const text = await this.#open().get(SEALED + name)
    return text === undefined
      ? undefined
      : openSealedBox(this.#privateKey, fromBase64(text, name), `node-vault\0${name}`)
  }
}
