/**
 * The EIP-712 approval of a sensitive action that SealnetSensitiveActions checks: an
 * approver signs (actionId, projectId, kind, target) under the contract's domain.
 * @module
 */
import type { Signer } from 'ethers'

/** The signed struct, as the contract's APPROVAL_TYPEHASH spells it. */
export const APPROVAL_TYPES = {
  Approval: [
    { name: 'actionId', type: 'bytes32' },
    { name: 'projectId', type: 'bytes32' },
    { name: 'kind', type: 'bytes32' },
    { name: 'target', type: 'bytes32' },
  ],
}

/** `approver`'s signature of an action, for the actions contract at `verifyingContract`. */
export async function signActionApproval(
  approver: Signer,
  verifyingContract: string,
  action: { actionId: string; projectId: string; kind: string; target: string },
): Promise<string> {
  const { chainId } = await approver.provider!.getNetwork()
  return approver.signTypedData(
    { name: 'Sealnet', version: '1', chainId, verifyingContract },
    APPROVAL_TYPES,
    action,
  )
}
