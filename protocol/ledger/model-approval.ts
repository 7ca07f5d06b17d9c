/**
 * Model deployment under k of n approvals. In a project whose owner named approvers, a
 * `linear` model runs only once an approved `deploy-model` action names its commitment
 * (Poseidon of the weights, the bias and the deployment's salt): the submitter's SDK
 * checks before submitting, and every node checks before it proves. A project without
 * approvers runs any model its members submit, as before.
 * @module
 */

import { toBeHex } from 'ethers'
import { SealnetError } from '../sealnet-error.ts'
import { ACTION_KINDS } from './ids.ts'
import type { Ledger } from './ledger.ts'

export class ModelNotApprovedError extends SealnetError {
  readonly code = 'model-not-approved'
  constructor(projectId: string, commitment: bigint) {
    super(
      `project ${projectId.slice(0, 12)}… runs only approved models, and no executed deploy-model action names model ${toBeHex(commitment, 32).slice(0, 14)}…; propose it with "sealnet model propose"`,
    )
  }
}

/** The action target of a model: its commitment as bytes32. */
export const modelTarget = (commitment: bigint): string => toBeHex(commitment, 32)

/**
 * Resolves if a model with this commitment may run in the project; ModelNotApprovedError
 * if the project has approvers and none of its executed deploy-model actions names it.
 */
export async function requireApprovedModel(
  ledger: Ledger,
  projectId: string,
  commitment: bigint,
): Promise<void> {
  if ((await ledger.approversOf(projectId)).threshold === 0) return
  if (!(await ledger.executedAction(projectId, ACTION_KINDS.deployModel, modelTarget(commitment))))
    throw new ModelNotApprovedError(projectId, commitment)
}
