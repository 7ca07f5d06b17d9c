/**
 * Deploying a `linear` model under k of n approvals: an admin proposes it (a
 * `deploy-model` action whose target is the model's salted commitment) and writes a
 * deployment file; approvers read the model from that file, check it against the action
 * and sign (approveAction); an admin executes the action. Jobs then run the model with
 * the deployment's salt, so their proofs state the commitment the chain approved.
 *
 * The file holds the model in the clear (the chain sees only its commitment): it travels
 * between the project's people like any confidential file.
 * @module
 */
import { ACTION_KINDS, type Ledger, modelTarget } from '../../protocol/ledger/index.ts'
import { type LinearModel, modelCommitment, randomSalt } from '../../protocol/proof/index.ts'
import { ActionMismatchError } from './erase-dataset.ts'

export interface ModelDeployment {
  format: 'sealnet-model-v1'
  projectId: string
  actionId: string
  weights: string[]
  bias: string
  salt: string
  /** modelTarget of the commitment: the action's target. */
  commitment: string
}

/** Proposes running `model` in the project; returns the deployment to hand to the approvers. */
export async function proposeModelDeployment(
  ledger: Ledger,
  projectId: string,
  model: LinearModel,
): Promise<ModelDeployment> {
  const salt = randomSalt()
  const commitment = modelTarget(await modelCommitment(model, salt))
  const actionId = await ledger.proposeAction(projectId, ACTION_KINDS.deployModel, commitment)
  return {
    format: 'sealnet-model-v1',
    projectId,
    actionId,
    weights: model.weights.map(String),
    bias: String(model.bias),
    salt: String(salt),
    commitment,
  }
}

/**
 * The model and salt of a deployment, after checking that they make the commitment the
 * file states and that the chain's action names it. ActionMismatchError otherwise.
 */
export async function openModelDeployment(
  ledger: Ledger,
  value: unknown,
): Promise<{ deployment: ModelDeployment; model: LinearModel; salt: bigint }> {
  const d = value as Partial<ModelDeployment> | null
  const integer = (v: unknown) => typeof v === 'string' && /^-?\d{1,80}$/.test(v)
  if (
    d?.format !== 'sealnet-model-v1' ||
    !Array.isArray(d.weights) ||
    !d.weights.every(integer) ||
    !integer(d.bias) ||
    !integer(d.salt) ||
    typeof d.actionId !== 'string'
  )
    throw new ActionMismatchError(
      String(d?.actionId ?? '?'),
      'deployment file is malformed (expected sealnet-model-v1 with weights, bias, salt)',
    )
  const model = { weights: d.weights.map(BigInt), bias: BigInt(d.bias!) }
  const salt = BigInt(d.salt!)
  const commitment = modelTarget(await modelCommitment(model, salt))
  const action = await ledger.action(d.actionId)
  if (
    !action ||
    action.kind !== ACTION_KINDS.deployModel ||
    action.target !== commitment ||
    action.projectId !== d.projectId
  )
    throw new ActionMismatchError(d.actionId, 'does not deploy the model this file holds')
  return { deployment: d as ModelDeployment, model, salt }
}

/**
 * Proposes running the ONNX model of SHA-256 `sha256` in the project: a `deploy-model`
 * action whose target is that hash. Approvers check the file they were given against it
 * (the hash is public; the model itself travels among the project's people). Returns the
 * action id.
 */
export function proposeOnnxModel(
  ledger: Ledger,
  projectId: string,
  sha256: string,
): Promise<string> {
  return ledger.proposeAction(
    projectId,
    ACTION_KINDS.deployModel,
    modelTarget(BigInt(`0x${sha256}`)),
  )
}
