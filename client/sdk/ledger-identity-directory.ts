/**
 * The identity directory on the ledger: register puts the master-key record on chain,
 * lookup reads the latest record back from the events (registration or last rotation)
 * and checks it against the key the contract holds.
 * @module
 */
import {
  MalformedRecordError,
  type MasterKeyRecord,
  parseMasterKeyRecord,
} from '../../protocol/crypto/index.ts'
import { identityIdOf, type Ledger } from '../../protocol/ledger/index.ts'
import { IdentityExistsError } from './errors.ts'
import type { IdentityDirectory } from './identity-directory.ts'

export class LedgerIdentityDirectory implements IdentityDirectory {
  readonly ledger: Ledger
  readonly kind: 'user' | 'node'
  readonly peerId: string

  /** Registers as `kind` (nodes give their libp2p peer id). */
  constructor(ledger: Ledger, options: { kind?: 'user' | 'node'; peerId?: string } = {}) {
    this.ledger = ledger
    this.kind = options.kind ?? 'user'
    this.peerId = options.peerId ?? ''
  }

  async register(record: MasterKeyRecord): Promise<void> {
    const checked = parseMasterKeyRecord(record)
    const existing = await this.ledger.identity(checked.identity)
    if (existing !== undefined) {
      if (existing.fingerprint === checked.fingerprint) return
      throw new IdentityExistsError(checked.identity)
    }
    await this.ledger.registerIdentity(this.kind, checked, this.peerId)
  }

  async lookup(identity: string): Promise<MasterKeyRecord | undefined> {
    const current = await this.ledger.identity(identity)
    if (current === undefined) return undefined
    const { identities } = this.ledger
    const identityId = identityIdOf(identity)
    const rotations = await identities.queryFilter(
      identities.filters.IdentityKeyRotated!(identityId),
      this.ledger.deployment.fromBlock,
    )
    const registrations = await identities.queryFilter(
      identities.filters.IdentityRegistered!(identityId),
      this.ledger.deployment.fromBlock,
    )
    const latest = rotations.at(-1) ?? registrations.at(-1)
    const text = latest && identities.interface.parseLog(latest)?.args.record
    const record = parseMasterKeyRecord(JSON.parse(String(text)))
    // the event's record must describe the key the contract holds now
    if (record.fingerprint !== current.fingerprint || record.identity !== identity) {
      throw new MalformedRecordError(
        `the on-chain record of "${identity}" does not match its registered key`,
      )
    }
    return record
  }
}
