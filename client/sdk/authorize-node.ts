/**
 * Authorizing a node for a project (a Continuum-style key release): the node answers a
 * fresh nonce with its measurement, signed by the key the ledger has for it; only a
 * measurement on the project's on-chain allowlist gets the project key, wrapped to that
 * key, its grant recorded on chain with the measurement, then delivered over libp2p.
 * @module
 */

import type { KeyObject } from 'node:crypto'
import {
  importPublicKey,
  rewrapProjectKey,
  type WrappedProjectKey,
  wrappedKeyDigest,
} from '../../protocol/crypto/index.ts'
import { type Ledger, projectIdOf } from '../../protocol/ledger/index.ts'
import { SealnetError } from '../../protocol/sealnet-error.ts'
import { type PeerClient, verifyAttestation } from '../../protocol/wire/index.ts'
import { UnknownIdentityError } from './errors.ts'

export class NotANodeError extends SealnetError {
  readonly code = 'not-a-node'
  constructor(identity: string) {
    super(`${identity} is registered as a user, not a node; only nodes can be authorized`)
  }
}

export class AttestationInvalidError extends SealnetError {
  readonly code = 'attestation-invalid'
  constructor(node: string) {
    super(`${node} answered with an attestation not signed by its registered key; not authorized`)
  }
}

export class MeasurementNotAllowedError extends SealnetError {
  readonly code = 'measurement-not-allowed'
  readonly measurement: string
  constructor(node: string, project: string, measurement: string) {
    super(
      `${node} runs measurement ${measurement}, which is not on the allowlist of project "${project}"; not authorized (if you trust that build: sealnet project allow ${project} ${measurement})`,
    )
    this.measurement = measurement
  }
}

/** A registered node's on-chain identity; UnknownIdentityError, or NotANodeError for a user. */
export async function requireNode(ledger: Ledger, node: string) {
  const registered = await ledger.identity(node)
  if (!registered) throw new UnknownIdentityError(node)
  if (registered.kind !== 'node' || !registered.peerId) throw new NotANodeError(node)
  return registered
}

export interface NodeAuthorization {
  node: string
  peerId: string
  measurement: string
  keyVersion: number
}

export async function authorizeNode(options: {
  client: PeerClient
  ledger: Ledger
  /** The authorizer's own wrapped key of the project, and the private key that opens it. */
  ownKey: WrappedProjectKey
  privateKey: KeyObject
  node: string
}): Promise<NodeAuthorization> {
  const { client, ledger, ownKey, node } = options
  const project = ownKey.projectId
  const projectId = projectIdOf(project)
  const registered = await requireNode(ledger, node)
  const publicKey = importPublicKey(registered.publicKey)
  const attestation = await client.attest(registered.peerId)
  if (!verifyAttestation(attestation, publicKey)) throw new AttestationInvalidError(node)
  if (!(await ledger.isMeasurementAllowed(projectId, attestation.measurement)))
    throw new MeasurementNotAllowedError(node, project, attestation.measurement)
  const grant = rewrapProjectKey(ownKey, options.privateKey, publicKey)
  await ledger.recordGrant(
    projectId,
    node,
    grant.version,
    wrappedKeyDigest(grant),
    attestation.measurement,
  )
  await client.deliverProjectKey(registered.peerId, grant)
  return {
    node,
    peerId: registered.peerId,
    measurement: attestation.measurement,
    keyVersion: grant.version,
  }
}
