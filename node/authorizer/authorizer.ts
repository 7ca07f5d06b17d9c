/**
 * Who may do what on this node, decided by the ledger and nothing else:
 *
 * - a peer is authenticated by a credential signed with the master key its identity has
 *   registered on chain (peer-credential.ts), bound to the Noise-proven peer id;
 * - users may read and write a project's shards if they hold its member role (owners
 *   and admins rank above), and delete them only as admins;
 * - nodes may read and write (replication, jobs) while they hold a live key grant;
 * - this node serves a project only while it holds a live grant itself.
 *
 * Answers are cached for `cacheMs`, and dropped as soon as the chain shows a revocation (a
 * role, a grant) or an identity key rotation: started, the authorizer looks every
 * `revocationPollMs`, so a revocation takes effect on nodes within about that time. A
 * refusal is not cached, so a fresh grant works at once, with one exception: an unknown
 * identity (an outsider's made-up name) is refused from memory until the next
 * registration on chain, or `cacheMs`.
 * @module
 */
import { importPublicKey } from '../../protocol/crypto/index.ts'
import { identityIdOf, type Ledger } from '../../protocol/ledger/index.ts'
import {
  credentialProblem,
  type PeerCredential,
  RequestRefusedError,
} from '../../protocol/wire/index.ts'
import { AUTHORIZATION_CACHE_MS, REVOCATION_POLL_MS } from '../constants.ts'

/** read, write, delete: shards; share: deliver a project's secrets to nodes. */
export type ProjectAction = 'read' | 'write' | 'delete' | 'share'

export interface PeerIdentity {
  /** The identity's name (its ledger id is keccak256 of it). */
  name: string
  kind: 'user' | 'node'
  /** Its EVM controller account, which holds its project roles. */
  controller: string
}

export interface Authorizer {
  /** The identity behind a connection; throws RequestRefusedError `unauthenticated`. */
  authenticate(credential: PeerCredential, remotePeerId: string): Promise<PeerIdentity>
  /** Throws RequestRefusedError `unauthorized` naming what is missing. */
  authorize(projectId: string, peer: PeerIdentity, action: ProjectAction): Promise<void>
  /**
   * Throws RequestRefusedError `no-grant` unless `node` holds a live grant for the project;
   * `fresh` reads the ledger past any cache.
   */
  requireGrant(
    projectId: string,
    node: string,
    options?: { fresh?: boolean },
  ): Promise<{ keyVersion: number; wrappedKeyHash: string }>
}

export interface LedgerAuthorizerInit {
  ledger: Ledger
  /** @default 10_000 */
  cacheMs?: number
  /** How often the chain is read for revocations, once started. @default 1_000 */
  revocationPollMs?: number
  onPollError?(err: unknown): void
}

const ROLE_FOR: Record<ProjectAction, 'member' | 'admin'> = {
  read: 'member',
  write: 'member',
  delete: 'admin',
  share: 'admin',
}

export class LedgerAuthorizer implements Authorizer {
  readonly #ledger: Ledger
  readonly #cacheMs: number
  readonly #cache = new Map<string, { value: unknown; expires: number }>()
  readonly #init: LedgerAuthorizerInit
  /** Raised whenever the cache is dropped: an answer loaded before must not be kept. */
  #generation = 0
  /** Names the ledger did not know, until when: refused without a chain read till then. */
  readonly #unknown = new Map<string, number>()
  #timer: NodeJS.Timeout | undefined
  #polling: Promise<void> | undefined
  /** The first block the next poll reads. */
  #fromBlock = 0

  constructor(init: LedgerAuthorizerInit) {
    this.#init = init
    this.#ledger = init.ledger
    this.#cacheMs = init.cacheMs ?? AUTHORIZATION_CACHE_MS
  }

  /** Starts watching the chain for revocations, from its latest block. */
  async start(): Promise<void> {
    if (this.#timer) return
    this.#fromBlock = (await this.#ledger.revocationsSince(Number.MAX_SAFE_INTEGER)).toBlock + 1
    this.#timer = setInterval(() => {
      this.#polling ??= this.#pollRevocations()
        .catch(err => this.#init.onPollError?.(err))
        .finally(() => {
          this.#polling = undefined
        })
    }, this.#init.revocationPollMs ?? REVOCATION_POLL_MS)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#polling
  }

  async #pollRevocations(): Promise<void> {
    const { count, toBlock } = await this.#ledger.revocationsSince(this.#fromBlock)
    if (count > 0) {
      this.#cache.clear()
      this.#unknown.clear()
      this.#generation++
    }
    this.#fromBlock = toBlock + 1
  }

  /** Caches truthy answers only: a refusal is re-checked next time. */
  async #cached<T>(key: string, load: () => Promise<T>, fresh = false): Promise<T> {
    const hit = this.#cache.get(key)
    if (!fresh && hit && hit.expires > Date.now()) return hit.value as T
    const generation = this.#generation
    const value = await load()
    if (value && generation === this.#generation) {
      if (this.#cache.size > 10_000) this.#cache.clear()
      this.#cache.set(key, { value, expires: Date.now() + this.#cacheMs })
    }
    return value
  }

  async authenticate(credential: PeerCredential, remotePeerId: string): Promise<PeerIdentity> {
    const unknownUntil = this.#unknown.get(credential.identity)
    if (unknownUntil !== undefined && unknownUntil > Date.now())
      throw new RequestRefusedError(
        'unauthenticated',
        `${credential.identity} is not registered on the ledger`,
      )
    const found = await this.#cached(`id:${credential.signature}:${remotePeerId}`, async () => {
      const identity = await this.#ledger.identity(credential.identity)
      if (!identity) {
        // an outsider's made-up names cost one chain read each, not one per request
        if (this.#unknown.size > 10_000) this.#unknown.clear()
        this.#unknown.set(credential.identity, Date.now() + this.#cacheMs)
        return undefined
      }
      const problem = credentialProblem(
        credential,
        importPublicKey(identity.publicKey),
        remotePeerId,
      )
      if (problem) throw new RequestRefusedError('unauthenticated', problem)
      return { name: credential.identity, kind: identity.kind, controller: identity.controller }
    })
    if (!found)
      throw new RequestRefusedError(
        'unauthenticated',
        `${credential.identity} is not registered on the ledger`,
      )
    if (credential.expiresAt <= Date.now())
      throw new RequestRefusedError('unauthenticated', 'credential expired')
    return found
  }

  async authorize(projectId: string, peer: PeerIdentity, action: ProjectAction): Promise<void> {
    if (peer.kind === 'node') {
      if (action === 'delete' || action === 'share')
        throw new RequestRefusedError(
          'unauthorized',
          `node ${peer.name} may not ${action} for project ${projectId}`,
        )
      await this.#requireGrant(projectId, peer.name, 'unauthorized')
      return
    }
    const role = ROLE_FOR[action]
    const allowed = await this.#cached(`role:${projectId}:${role}:${peer.controller}`, () =>
      this.#ledger.hasRole(projectId, role, peer.controller),
    )
    if (!allowed) {
      throw new RequestRefusedError(
        'unauthorized',
        `${peer.name} lacks the ${role} role in project ${projectId} needed to ${action}`,
      )
    }
  }

  /** The node's live grant; `fresh` reads the ledger past the cache (a key delivery after a rotation). */
  requireGrant(projectId: string, node: string, options: { fresh?: boolean } = {}) {
    return this.#requireGrant(projectId, node, 'no-grant', options.fresh)
  }

  async #requireGrant(
    projectId: string,
    node: string,
    code: 'no-grant' | 'unauthorized',
    fresh = false,
  ) {
    const grant = await this.#cached(
      `grant:${projectId}:${identityIdOf(node)}`,
      async () => {
        const found = await this.#ledger.grantOf(projectId, node)
        return found.keyVersion > 0 ? found : undefined
      },
      fresh,
    )
    if (!grant)
      throw new RequestRefusedError(
        code,
        `${node} holds no key grant for project ${projectId} on the ledger`,
      )
    return grant
  }
}
