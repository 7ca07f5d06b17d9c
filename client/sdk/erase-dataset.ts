/**
 * Erasure of a dataset ("right to erasure"), guarded by k of n approvals on chain:
 *
 * 1. an admin proposes it (`ActionProposed`, target: the dataset id);
 * 2. approvers sign it off chain (EIP-712), each handing over an approval file;
 * 3. an admin executes it with k approvals (`ActionApproved` per signer, `ActionExecuted`);
 * 4. every chunk shard is deleted from every node that holds it, then every manifest the
 *    chain ever named for the dataset: each node records each deletion on chain.
 *
 * Step 4 is crypto-shredding: the dataset's data key lives only in its manifests, so once
 * they are gone a chunk copy that survives anywhere opens for nobody. Chunks go first so a
 * run that stops midway can be run again: while a manifest is left, its chunks are known.
 * Readers are told the dataset was erased (DatasetErasedError), never just "not found".
 * @module
 */

import type { Signer } from 'ethers'
import type { EnvelopeKey } from '../../protocol/crypto/index.ts'
import { ACTION_KINDS, datasetIdOf, type Ledger } from '../../protocol/ledger/index.ts'
import { SealnetError } from '../../protocol/sealnet-error.ts'
import {
  type DatasetManifest,
  fetchShard,
  type PeerClient,
  readDatasetManifest,
  type StorageNode,
} from '../../protocol/wire/index.ts'
import { UnknownDatasetError } from './errors.ts'
import { everyProjectNode, type ProjectOverview } from './project-overview.ts'

export class DatasetErasedError extends SealnetError {
  readonly code = 'dataset-erased'
  constructor(project: string, dataset: string, actionId: string, block: number) {
    super(
      `dataset "${dataset}" of "${project}" was erased (action ${actionId.slice(0, 12)}…, block ${block}); its data can't be read`,
    )
  }
}

export class ActionMismatchError extends SealnetError {
  readonly code = 'action-mismatch'
  constructor(actionId: string, problem: string) {
    super(`action ${actionId.slice(0, 12)}… ${problem}`)
  }
}

export class NotApproverError extends SealnetError {
  readonly code = 'not-approver'
  constructor(account: string, projectId: string) {
    super(
      `${account} is not an approver of project ${projectId.slice(0, 12)}…; its owner sets them with "sealnet project approvers"`,
    )
  }
}

export class ErasureIncompleteError extends SealnetError {
  readonly code = 'erasure-incomplete'
  constructor(dataset: string, failures: readonly string[]) {
    super(
      `erasure of "${dataset}" is recorded on chain but ${failures.length} deletion(s) failed (${failures[0]}${failures.length > 1 ? ', …' : ''}); run it again once those nodes are up`,
    )
  }
}

/**
 * The dataset's root and manifest shard, as the chain holds them. UnknownDatasetError if it
 * was never committed, DatasetErasedError if an executed erasure covers it.
 */
export async function liveDataset(
  ledger: Ledger,
  project: Pick<ProjectOverview, 'name' | 'projectId'>,
  dataset: string,
): Promise<{ root: string; manifestShardId: string }> {
  const committed = await ledger.dataset(project.projectId, datasetIdOf(dataset))
  if (!committed) throw new UnknownDatasetError(project.name, dataset)
  const erased = await ledger.executedAction(
    project.projectId,
    ACTION_KINDS.eraseDataset,
    datasetIdOf(dataset),
  )
  if (erased) throw new DatasetErasedError(project.name, dataset, erased.actionId, erased.block)
  return committed
}

/** An approver's signature of an action, as it travels to whoever executes it. */
export interface Approval {
  format: 'sealnet-approval-v1'
  actionId: string
  approver: string
  signature: string
}

export function parseApproval(value: unknown): Approval {
  const a = value as Partial<Approval> | null
  if (
    a?.format !== 'sealnet-approval-v1' ||
    !/^0x[0-9a-f]{64}$/.test(a.actionId ?? '') ||
    !/^0x[0-9a-fA-F]{40}$/.test(a.approver ?? '') ||
    !/^0x[0-9a-f]{130}$/.test(a.signature ?? '')
  )
    throw new ActionMismatchError(
      String(a?.actionId ?? '?'),
      'approval file is malformed (expected sealnet-approval-v1 with actionId, approver, signature)',
    )
  return a as Approval
}

/**
 * Signs an action as one of its project's approvers (EIP-712, with `signer`'s account).
 * NotApproverError if `signer` is not one; ActionMismatchError if the action is unknown
 * or already executed.
 */
export async function approveAction(
  ledger: Ledger,
  signer: Signer,
  actionId: string,
): Promise<Approval> {
  const action = await ledger.action(actionId)
  if (!action) throw new ActionMismatchError(actionId, 'is unknown to the ledger')
  if (action.executed) throw new ActionMismatchError(actionId, 'is already executed')
  const approver = await signer.getAddress()
  const { approvers } = await ledger.approversOf(action.projectId)
  if (!approvers.some(a => a.toLowerCase() === approver.toLowerCase()))
    throw new NotApproverError(approver, action.projectId)
  const signature = await ledger.signApproval(signer, actionId)
  return { format: 'sealnet-approval-v1', actionId, approver, signature }
}

export interface ErasureReport {
  dataset: string
  actionId: string
  /** Whether this run executed the action (false: it was executed before). */
  executed: boolean
  /** Chunk and manifest copies deleted by this run. */
  chunksDeleted: number
  manifestsDeleted: number
}

/**
 * Executes an approved erasure of `dataset` (unless it already was) and carries it out
 * (see the module note). Safe to run again: what is gone is skipped. Throws
 * ActionMismatchError if the action is not this dataset's erasure, LedgerRevertError if
 * the approvals fall short, ErasureIncompleteError if a node could not delete its copy.
 */
export async function eraseDataset(options: {
  client: PeerClient
  ledger: Ledger
  project: Pick<ProjectOverview, 'name' | 'projectId' | 'grants' | 'formerNodes'>
  dataset: string
  actionId: string
  approvals: readonly Approval[]
  /** The project key of a version, to open the manifests (which chunks to delete). */
  keyFor(version: number): Promise<EnvelopeKey>
  /**
   * The project's nodes. Manifests are deleted from them and from every node the project
   * ever granted (everyProjectNode), revoked ones included.
   */
  storage: readonly StorageNode[]
  onProgress?(step: string): void
}): Promise<ErasureReport> {
  const { client, ledger, project, dataset, actionId, storage } = options
  const datasetId = datasetIdOf(dataset)
  const committed = await ledger.dataset(project.projectId, datasetId)
  if (!committed) throw new UnknownDatasetError(project.name, dataset)
  const action = await ledger.action(actionId)
  if (
    !action ||
    action.projectId !== project.projectId ||
    action.kind !== ACTION_KINDS.eraseDataset ||
    action.target !== datasetId
  )
    throw new ActionMismatchError(actionId, `is not the erasure of ${dataset} in ${project.name}`)
  const executed = !action.executed
  if (executed) {
    await ledger.executeAction(actionId, options.approvals)
    options.onProgress?.(`erasure executed on chain with ${options.approvals.length} approvals`)
  }

  // which chunks: from every manifest still readable (a rerun may find none: all done)
  const manifests = await ledger.manifestHistory(project.projectId, datasetId)
  const chunks = new Map<string, DatasetManifest['chunks'][number]['holders']>()
  for (const shardId of manifests) {
    const manifest = await readDatasetManifest({
      keyFor: options.keyFor,
      project: project.name,
      dataset,
      manifest: { shardId, holders: [...storage] },
      committedRoot: committed.root,
      readShard: async (id, holders, projectId) =>
        (await fetchShard(client, projectId, id, holders)).shard,
    }).catch(() => undefined)
    for (const chunk of manifest?.chunks ?? []) chunks.set(chunk.shardId, chunk.holders)
  }
  const failures: string[] = []
  const remove = async (shardId: string, holders: readonly StorageNode[]) => {
    let removed = 0
    for (const holder of holders)
      try {
        await client.deleteShard(holder.peerId, project.projectId, shardId)
        removed++
      } catch (err) {
        // already gone is what we want
        if ((err as { code?: string }).code !== 'not-found')
          failures.push(`${shardId.slice(0, 12)}… on ${holder.identity}: ${(err as Error).message}`)
      }
    return removed
  }
  let chunksDeleted = 0
  for (const [shardId, holders] of chunks) chunksDeleted += await remove(shardId, holders)
  options.onProgress?.(`${chunksDeleted} chunk copies deleted (${chunks.size} chunks)`)
  // the manifests hold the data key: they go last, and only once every chunk is gone
  if (failures.length > 0) throw new ErasureIncompleteError(dataset, failures)
  let manifestsDeleted = 0
  const everyNode = everyProjectNode(project, storage)
  for (const shardId of manifests) manifestsDeleted += await remove(shardId, everyNode)
  options.onProgress?.(
    `${manifestsDeleted} manifest copies deleted: the data key is gone (${manifests.length} manifests named on chain)`,
  )
  if (failures.length > 0) throw new ErasureIncompleteError(dataset, failures)
  return { dataset, actionId, executed, chunksDeleted, manifestsDeleted }
}
