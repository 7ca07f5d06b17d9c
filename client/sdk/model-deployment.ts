/**
 * Deploying a `linear` or `mlp` model under k of n approvals: an admin proposes it (a
 * `deploy-model` action whose target is the model's salted commitment) and writes a
 * deployment file; approvers read the model from that file, check it against the action
 * and sign (approveAction); an admin executes the action. Jobs then run the model with
 * the deployment's salt, so their proofs state the commitment the chain approved.
 *
 * The file holds the model in the clear (the chain sees only its commitment): it travels
 * between the project's people like any confidential file.
 * @module
 */
import { createHash } from 'node:crypto'
import { mlpKind, mlpModelOfSpec, mlpSpecModelOf } from '../../protocol/job-kinds/index.ts'
import { ACTION_KINDS, type Ledger, modelTarget } from '../../protocol/ledger/index.ts'
import {
  type LinearModel,
  type MlpModel,
  mlpModelCommitment,
  modelCommitment,
  randomSalt,
} from '../../protocol/proof/index.ts'
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
  await requireDeployAction(ledger, d.actionId, d.projectId, await modelCommitment(model, salt))
  return { deployment: d as ModelDeployment, model, salt }
}

/** ActionMismatchError unless `actionId` is the project's deploy-model action of `commitment`. */
async function requireDeployAction(
  ledger: Ledger,
  actionId: string,
  projectId: string | undefined,
  commitment: bigint,
): Promise<void> {
  const action = await ledger.action(actionId)
  if (
    !action ||
    action.kind !== ACTION_KINDS.deployModel ||
    action.target !== modelTarget(commitment) ||
    action.projectId !== projectId
  )
    throw new ActionMismatchError(actionId, 'does not deploy the model this file holds')
}

/** An `mlp` model's deployment: the network as a job spec carries it, and its salt. */
export interface MlpModelDeployment {
  format: 'sealnet-mlp-deployment-v1'
  projectId: string
  actionId: string
  model: ReturnType<typeof mlpSpecModelOf>
  salt: string
  /** modelTarget of the commitment: the action's target. */
  commitment: string
}

/** Proposes running the mlp `model` in the project; returns the deployment for the approvers. */
export async function proposeMlpDeployment(
  ledger: Ledger,
  projectId: string,
  model: MlpModel,
): Promise<MlpModelDeployment> {
  const salt = randomSalt()
  const commitment = modelTarget(await mlpModelCommitment(model, salt))
  const actionId = await ledger.proposeAction(projectId, ACTION_KINDS.deployModel, commitment)
  return {
    format: 'sealnet-mlp-deployment-v1',
    projectId,
    actionId,
    model: mlpSpecModelOf(model),
    salt: String(salt),
    commitment,
  }
}

/**
 * The network and salt of an mlp deployment, after checking that the chain's action
 * deploys their commitment. ActionMismatchError otherwise.
 */
export async function openMlpDeployment(
  ledger: Ledger,
  value: unknown,
): Promise<{ deployment: MlpModelDeployment; model: MlpModel; salt: bigint }> {
  const d = value as Partial<MlpModelDeployment> | null
  const parsed = mlpKind.specSchema.shape.model.safeParse(d?.model)
  if (
    d?.format !== 'sealnet-mlp-deployment-v1' ||
    !parsed.success ||
    typeof d.salt !== 'string' ||
    !/^\d{1,80}$/.test(d.salt) ||
    typeof d.actionId !== 'string'
  )
    throw new ActionMismatchError(
      String(d?.actionId ?? '?'),
      'deployment file is malformed (expected sealnet-mlp-deployment-v1 with model, salt)',
    )
  const model = mlpModelOfSpec(parsed.data)
  const salt = BigInt(d.salt)
  await requireDeployAction(ledger, d.actionId, d.projectId, await mlpModelCommitment(model, salt))
  return { deployment: d as MlpModelDeployment, model, salt }
}

/** The file format of each proven kind's deployment. */
export const MODEL_DEPLOYMENT_FORMATS = {
  linear: 'sealnet-model-v1',
  mlp: 'sealnet-mlp-deployment-v1',
} as const

/**
 * A linear or mlp deployment file opened by its format (openMlpDeployment for an mlp one,
 * openModelDeployment otherwise), with the kind it deploys.
 */
export async function openProvenDeployment(
  ledger: Ledger,
  value: unknown,
): Promise<
  | ({ kind: 'linear' } & Awaited<ReturnType<typeof openModelDeployment>>)
  | ({ kind: 'mlp' } & Awaited<ReturnType<typeof openMlpDeployment>>)
> {
  return (value as { format?: unknown } | null)?.format === MODEL_DEPLOYMENT_FORMATS.mlp
    ? { kind: 'mlp', ...(await openMlpDeployment(ledger, value)) }
    : { kind: 'linear', ...(await openModelDeployment(ledger, value)) }
}

/** An ONNX model's deployment: the action naming its SHA-256, as approvers and executors check it. */
export interface OnnxModelDeployment {
  format: 'sealnet-onnx-deployment-v1'
  projectId: string
  actionId: string
  /** SHA-256 of the model file (hex): the action's target. */
  sha256: string
}

/**
 * Proposes running the ONNX model of SHA-256 `sha256` in the project: a `deploy-model`
 * action whose target is that hash. Approvers check the model file they were given
 * against it (openOnnxDeployment): the hash is public, the model travels among the
 * project's people.
 */
export async function proposeOnnxModel(
  ledger: Ledger,
  projectId: string,
  sha256: string,
): Promise<OnnxModelDeployment> {
  const actionId = await ledger.proposeAction(
    projectId,
    ACTION_KINDS.deployModel,
    modelTarget(BigInt(`0x${sha256}`)),
  )
  return { format: 'sealnet-onnx-deployment-v1', projectId, actionId, sha256 }
}

/**
 * An ONNX deployment file, checked against the chain's action (and, with `model`, that
 * the model bytes are the ones it names). ActionMismatchError otherwise.
 */
export async function openOnnxDeployment(
  ledger: Ledger,
  value: unknown,
  model?: Uint8Array,
): Promise<OnnxModelDeployment> {
  const d = value as Partial<OnnxModelDeployment> | null
  if (
    d?.format !== 'sealnet-onnx-deployment-v1' ||
    typeof d.actionId !== 'string' ||
    typeof d.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(d.sha256)
  )
    throw new ActionMismatchError(
      String(d?.actionId ?? '?'),
      'deployment file is malformed (expected sealnet-onnx-deployment-v1 with actionId, sha256)',
    )
  if (model && createHash('sha256').update(model).digest('hex') !== d.sha256)
    throw new ActionMismatchError(d.actionId, 'names another model than the file given')
  const action = await ledger.action(d.actionId)
  if (
    !action ||
    action.kind !== ACTION_KINDS.deployModel ||
    action.target !== modelTarget(BigInt(`0x${d.sha256}`)) ||
    action.projectId !== d.projectId
  )
    throw new ActionMismatchError(d.actionId, 'does not deploy the model this file names')
  return d as OnnxModelDeployment
}
