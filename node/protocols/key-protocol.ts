/**
 * `/sealnet/key/1`: a wrapped project key or a sealed secret for this node. A project key
 * is kept only if the ledger records a live grant to this node for exactly that key
 * version and wrapped-key hash; a secret only from a project admin, for a project this
 * node holds a grant for. Either is stored sealed in the key vault.
 * @module
 */
import { fromBase64, UnwrapError, wrappedKeyDigest } from '../../protocol/crypto/index.ts'
import { projectIdOf } from '../../protocol/ledger/index.ts'
import { KeyRequestSchema, RequestRefusedError, secretPurpose } from '../../protocol/wire/index.ts'
import type { Authorizer, ProjectPolicy } from '../authorizer/index.ts'
import type { KeyVault } from '../key-vault/index.ts'
import type { RequestHandler } from './handler.ts'

export interface KeyProtocolInit {
  authorizer: Authorizer
  vault: KeyVault
  /** This node's identity name. */
  node: string
  /** Which projects this node serves (its operator's policy). */
  policy: ProjectPolicy
}

/** Where a delivered secret is kept in the vault. */
export function secretVaultName(project: string, name: string): string {
  return `secret/${project}/${name}`
}

const SEALED_BOX_ERRORS = new Set([
  'UnwrapError',
  'EnvelopeFormatError',
  'EnvelopeAuthError',
  'InvalidInputError',
])

export function keyProtocol(init: KeyProtocolInit): RequestHandler {
  const { authorizer, vault, node, policy } = init
  return async (frame, remotePeer) => {
    const request = KeyRequestSchema.parse(frame.header)
    const sender = await authorizer.authenticate(request.credential, remotePeer)
    if (request.kind === 'project-key') {
      const delivered = request.key
      // the node consents: a key for a project its operator does not serve is not kept
      await policy.requireAccepted(projectIdOf(delivered.projectId))
      // past the cache: a rotation re-grants a key seconds after the last one
      const grant = await authorizer.requireGrant(projectIdOf(delivered.projectId), node, {
        fresh: true,
      })
      const digest = wrappedKeyDigest(delivered)
      if (grant.keyVersion !== delivered.version || grant.wrappedKeyHash !== digest) {
        throw new RequestRefusedError(
          'no-grant',
          `the ledger grants this node version ${grant.keyVersion} (hash ${grant.wrappedKeyHash.slice(0, 12)}…); the delivery is version ${delivered.version} (hash ${digest.slice(0, 12)}…)`,
        )
      }
      try {
        await vault.putProjectKey(delivered)
      } catch (err) {
        if (err instanceof UnwrapError) throw new RequestRefusedError('malformed', err.message)
        throw err
      }
      return { header: { ok: true } }
    }
    const projectId = projectIdOf(request.project)
    await authorizer.requireGrant(projectId, node)
    await authorizer.authorize(projectId, sender, 'share')
    try {
      await vault.acceptSealedSecret(
        secretVaultName(request.project, request.name),
        fromBase64(request.box, 'box'),
        secretPurpose(request.project, request.name),
      )
    } catch (err) {
      if (err instanceof Error && SEALED_BOX_ERRORS.has(err.name))
        throw new RequestRefusedError(
          'malformed',
          `secret ${request.name} does not open with this node's key`,
        )
      throw err
    }
    return { header: { ok: true } }
  }
}
