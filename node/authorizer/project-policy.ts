/**
 * Which projects a node serves. Anyone can create a project, allowlist a node's
 * measurement and record a grant to it: without a policy the node would then store,
 * prove and pay gas for whoever did. With `acceptOwners` set (its operator's choice, in
 * the node config), a node takes keys and shards only for projects one of those
 * identities owns; it refuses the rest `unauthorized`, so it never holds their key.
 * @module
 */
import type { Ledger } from '../../protocol/ledger/index.ts'
import { RequestRefusedError } from '../../protocol/wire/index.ts'

/** How long an answer about a project's owner is kept (owners rarely change). */
const POLICY_CACHE_MS = 10_000

export class ProjectPolicy {
  readonly #ledger: Ledger
  readonly #acceptOwners: readonly string[] | undefined
  readonly #answers = new Map<string, { accepted: boolean; until: number }>()

  /** `acceptOwners` undefined: every project this node is granted (the operator chose none). */
  constructor(ledger: Ledger, acceptOwners?: readonly string[]) {
    this.#ledger = ledger
    this.#acceptOwners = acceptOwners
  }

  /** Throws `unauthorized` unless this node serves project `projectId` (its on-chain id). */
  async requireAccepted(projectId: string): Promise<void> {
    if (!this.#acceptOwners) return
    const cached = this.#answers.get(projectId)
    const accepted =
      cached && cached.until > Date.now() ? cached.accepted : await this.#ownedByAccepted(projectId)
    if (!accepted)
      throw new RequestRefusedError(
        'unauthorized',
        `this node serves only projects owned by ${this.#acceptOwners.join(', ')}; project ${projectId.slice(0, 12)}… is not (its operator decides)`,
      )
  }

  async #ownedByAccepted(projectId: string): Promise<boolean> {
    let accepted = false
    for (const name of this.#acceptOwners ?? []) {
      const owner = await this.#ledger.identity(name)
      if (owner && (await this.#ledger.hasRole(projectId, 'owner', owner.controller))) {
        accepted = true
        break
      }
    }
    if (this.#answers.size > 10_000) this.#answers.clear()
    this.#answers.set(projectId, { accepted, until: Date.now() + POLICY_CACHE_MS })
    return accepted
  }
}
