/**
 * Targets of the actions that change a project's own approval rules: once a project has
 * approvers, a new set of them and a retention cut each need k of n approvals and then a
 * delay (SealnetSensitiveActions.CHANGE_DELAY) before they take effect.
 * @module
 */
import { AbiCoder, keccak256 } from 'ethers'

/** The target of a change-approvers action: keccak256(abi.encode(approvers, threshold)). */
export function approversChangeTarget(approvers: readonly string[], threshold: number): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(['address[]', 'uint8'], [approvers, threshold]),
  )
}

/** The target of a cut-retention action: keccak256(abi.encode(uint64 retentionSeconds)). */
export function retentionCutTarget(retentionSeconds: number): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['uint64'], [retentionSeconds]))
}
