/**
 * Revoking someone's access to a project: their roles and grant go on chain, then the
 * project key rotates. The new version is wrapped to the revoker, re-granted to every
 * node still authorized (each attests again) and to every member still holding a key (left
 * with the nodes, as `depositGrant` does). Data sealed before stays under its old version,
 * which the revoked party may have kept: revocation protects what is written after it.
 * @module
 */

import type { KeyObject } from 'node:crypto'
import {
  type MasterKey,
  rotateProjectKey,
  unwrapProjectKey,
  type WrappedProjectKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../../protocol/crypto/index.ts'
import type { Ledger } from '../../protocol/ledger/index.ts'
import { SealnetError } from '../../protocol/sealnet-error.ts'
import type { PeerClient } from '../../protocol/wire/index.ts'
import { authorizeNode } from './authorize-node.ts'
import { UnknownIdentityError } from './errors.ts'
import { grantToMember } from './project-keys.ts'
import type { ProjectOverview } from './project-overview.ts'

export class CannotRevokeOwnerError extends SealnetError {
  readonly code = 'cannot-revoke-owner'
  constructor(identity: string, project: string) {
    super(`${identity} owns project "${project}"; an owner's access can't be revoked`)
  }
}

export class RotationIncompleteError extends SealnetError {
  readonly code = 'rotation-incomplete'
  constructor(unreached: string[]) {
    super(
      `the revocation is recorded and the key rotated, but ${unreached.join(', ')} did not get the new version: re-authorize or re-share them`,
    )
  }
}

export interface Revocation {
  revoked: string
  rolesRevoked: string[]
  keyVersion: number
  /** The revoker's wrapped key of the new version, to keep. */
  own: WrappedProjectKey
  nodes: string[]
  members: string[]
  /** Grantees the new key could not reach (a node down): re-authorize or re-share them later. */
  unreached: Array<{ identity: string; error: string }>
}

export async function revokeAccess(options: {
  client: PeerClient
  ledger: Ledger
  project: ProjectOverview
  me: Pick<MasterKey, 'identity' | 'publicKey'> & { privateKey: KeyObject }
  ownKey: WrappedProjectKey
  revoke: string
}): Promise<Revocation> {
  const { client, ledger, project, me, revoke } = options
  const registered = await ledger.identity(revoke)
  if (!registered) throw new UnknownIdentityError(revoke)
  const member = project.members.find(m => m.identity === revoke)
  if (member?.roles.includes('owner')) throw new CannotRevokeOwnerError(revoke, project.name)
  for (const role of member?.roles ?? [])
    await ledger.revokeRole(project.projectId, role, member!.account)
  if (project.grants.some(g => g.identity === revoke))
    await ledger.revokeGrant(project.projectId, revoke)

  await ledger.rotateProjectKey(project.projectId)
  const keyVersion = await ledger.keyVersion(project.projectId)
  const current = unwrapProjectKey(options.ownKey, me.privateKey)
  const next = { ...rotateProjectKey(current), version: keyVersion }
  current.key.fill(0)
  let own: WrappedProjectKey
  try {
    own = wrapProjectKey(next, me.publicKey)
  } finally {
    next.key.fill(0)
  }
  await ledger.recordGrant(project.projectId, me.identity, keyVersion, wrappedKeyDigest(own))

  const result: Revocation = {
    revoked: revoke,
    rolesRevoked: member?.roles ?? [],
    keyVersion,
    own,
    nodes: [],
    members: [],
    unreached: [],
  }
  const others = project.grants.filter(g => g.identity !== revoke && g.identity !== me.identity)
  const storage = []
  for (const node of others.filter(g => g.kind === 'node')) {
    try {
      await authorizeNode({
        client,
        ledger,
        ownKey: own,
        privateKey: me.privateKey,
        node: node.identity,
      })
      storage.push({ identity: node.identity, peerId: node.peerId })
      result.nodes.push(node.identity)
    } catch (err) {
      result.unreached.push({ identity: node.identity, error: String(err) })
    }
  }
  for (const user of others.filter(g => g.kind === 'user')) {
    try {
      await grantToMember({
        client,
        ledger,
        ownKey: own,
        privateKey: me.privateKey,
        identity: user.identity,
        storage,
      })
      result.members.push(user.identity)
    } catch (err) {
      result.unreached.push({ identity: user.identity, error: String(err) })
    }
  }
  return result
}
