/**
 * Typed access to the Sealnet contracts: the only way the rest of the code talks to the
 * chain. Every refusal comes back as a LedgerRevertError naming the contract's custom
 * error (ProjectsMissingRole, JobsInvalidProof, …) and its arguments.
 * @module
 */
import { Contract, type ContractRunner, type Provider, type Signer, ZeroHash } from 'ethers'
import type { MasterKeyRecord } from '../crypto/index.ts'
import { assertName } from '../names.ts'
import { type AccessRecordInput, accessBatchRoot } from './access-root.ts'
import { signActionApproval } from './action-approval.ts'
import { loadArtifact } from './artifacts.ts'
import { callContract, sendTransaction } from './contract-calls.ts'
import { CONTRACTS, type ContractKey } from './contracts.ts'
import type { Deployment } from './deployment.ts'
import { LedgerNotDeployedError, LedgerRevertError } from './errors.ts'
import { identityIdOf, projectIdOf, ROLES, type RoleName } from './ids.ts'
import {
  IDENTITY_KINDS,
  JOB_STATUSES,
  type OnChainAction,
  type OnChainIdentity,
  type OnChainJob,
} from './on-chain-types.ts'

/** A record's public key (base64 SPKI) as the bytes the contract stores. */
function spkiHex(record: MasterKeyRecord): string {
  return `0x${Buffer.from(record.publicKey, 'base64').toString('hex')}`
}

export class Ledger {
  readonly deployment: Deployment
  readonly identities: Contract
  readonly projects: Contract
  readonly jobs: Contract
  readonly actions: Contract

  private constructor(runner: ContractRunner, deployment: Deployment) {
    this.deployment = deployment
    const make = (key: ContractKey) =>
      new Contract(deployment[key], loadArtifact(CONTRACTS[key]).abi, runner)
    this.identities = make('identities')
    this.projects = make('projects')
    this.jobs = make('jobs')
    this.actions = make('actions')
  }

  /**
   * Binds to a deployment, checking that each contract has code there (a chain without
   * the contracts is a LedgerNotDeployedError, not a confusing call failure later).
   * @example const ledger = await Ledger.connect(signer, deployment)
   */
  static async connect(runner: Signer | Provider, deployment: Deployment): Promise<Ledger> {
    const provider = 'getCode' in runner ? runner : runner.provider!
    const { chainId } = await provider.getNetwork()
    for (const key of Object.keys(CONTRACTS) as ContractKey[]) {
      if ((await provider.getCode(deployment[key])) === '0x')
        throw new LedgerNotDeployedError(CONTRACTS[key], deployment[key], chainId)
    }
    return new Ledger(runner, deployment)
  }

  /** The same deployment, acting as another account. */
  as(runner: Signer): Ledger {
    return new Ledger(runner, this.deployment)
  }

  // identities

  /** Registers a user or node master key with its verification record. */
  async registerIdentity(
    kind: keyof typeof IDENTITY_KINDS,
    record: MasterKeyRecord,
    peerId = '',
  ): Promise<string> {
    assertName('identity', record.identity)
    await sendTransaction(this.identities, 'register', [
      record.identity,
      IDENTITY_KINDS[kind],
      `0x${record.fingerprint}`,
      spkiHex(record),
      peerId,
      JSON.stringify(record),
    ])
    return identityIdOf(record.identity)
  }

  /** Hands control of an identity to another account (this account must control it now). */
  async setIdentityController(name: string, controller: string): Promise<void> {
    await sendTransaction(this.identities, 'setController', [identityIdOf(name), controller])
  }

  /** Replaces an identity's key; the old one stays in the log. */
  async rotateIdentityKey(record: MasterKeyRecord): Promise<void> {
    await sendTransaction(this.identities, 'rotateKey', [
      identityIdOf(record.identity),
      `0x${record.fingerprint}`,
      spkiHex(record),
      JSON.stringify(record),
    ])
  }

  /** The registered identity, or undefined. */
  async identity(name: string): Promise<OnChainIdentity | undefined> {
    let found: {
      kind: bigint
      controller: string
      fingerprint: string
      keyVersion: bigint
      publicKey: string
      peerId: string
    }
    try {
      found = await callContract(this.identities, 'identity', [identityIdOf(name)])
    } catch (err) {
      if (err instanceof LedgerRevertError && err.reason === 'IdentitiesUnknown') return undefined
      throw err
    }
    return {
      kind: Number(found.kind) === IDENTITY_KINDS.node ? 'node' : 'user',
      controller: found.controller,
      fingerprint: found.fingerprint.slice(2),
      keyVersion: Number(found.keyVersion),
      publicKey: Buffer.from(found.publicKey.slice(2), 'hex').toString('base64'),
      peerId: found.peerId,
    }
  }

  // projects

  /** Creates a project; a name with a control character is InvalidNameError, nothing sent. */
  async createProject(name: string, retentionSeconds: number): Promise<string> {
    assertName('project', name)
    await sendTransaction(this.projects, 'createProject', [name, retentionSeconds])
    return projectIdOf(name)
  }

  async grantRole(projectId: string, role: RoleName, account: string): Promise<void> {
    await sendTransaction(this.projects, 'grantRole', [projectId, ROLES[role], account])
  }

  async revokeRole(projectId: string, role: RoleName, account: string): Promise<void> {
    await sendTransaction(this.projects, 'revokeRole', [projectId, ROLES[role], account])
  }

  hasRole(projectId: string, role: RoleName, account: string): Promise<boolean> {
    return callContract(this.projects, 'hasRole', [projectId, ROLES[role], account])
  }

  async setRetention(projectId: string, retentionSeconds: number): Promise<void> {
    await sendTransaction(this.projects, 'setRetention', [projectId, retentionSeconds])
  }

  /** Seconds a project's data may be kept (0: no limit). */
  async retention(projectId: string): Promise<number> {
    return Number(await callContract<bigint>(this.projects, 'retention', [projectId]))
  }

  async keyVersion(projectId: string): Promise<number> {
    return Number(await callContract<bigint>(this.projects, 'keyVersion', [projectId]))
  }

  async rotateProjectKey(projectId: string): Promise<void> {
    await sendTransaction(this.projects, 'rotateKey', [projectId])
  }

  /** Records a grant: the hash of the wrapped key, never the key (see wrappedKeyDigest). */
  async recordGrant(
    projectId: string,
    grantee: string,
    keyVersion: number,
    wrappedKeyHash: string,
    measurement = ZeroHash,
  ) {
    await sendTransaction(this.projects, 'recordGrant', [
      projectId,
      identityIdOf(grantee),
      keyVersion,
      `0x${wrappedKeyHash}`,
      measurement,
    ])
  }

  async revokeGrant(projectId: string, grantee: string): Promise<void> {
    await sendTransaction(this.projects, 'revokeGrant', [projectId, identityIdOf(grantee)])
  }

  /** The recorded grant of `grantee`: key version (0 if none) and wrapped-key hash. */
  async grantOf(
    projectId: string,
    grantee: string,
  ): Promise<{ keyVersion: number; wrappedKeyHash: string }> {
    const grant = await callContract<{ keyVersion: bigint; wrappedKeyHash: string }>(
      this.projects,
      'grantOf',
      [projectId, identityIdOf(grantee)],
    )
    return { keyVersion: Number(grant.keyVersion), wrappedKeyHash: grant.wrappedKeyHash.slice(2) }
  }

  async allowMeasurement(projectId: string, measurement: string): Promise<void> {
    await sendTransaction(this.projects, 'allowMeasurement', [projectId, measurement])
  }

  async disallowMeasurement(projectId: string, measurement: string): Promise<void> {
    await sendTransaction(this.projects, 'disallowMeasurement', [projectId, measurement])
  }

  isMeasurementAllowed(projectId: string, measurement: string): Promise<boolean> {
    return callContract(this.projects, 'isMeasurementAllowed', [projectId, measurement])
  }

  /**
   * Records an uploaded dataset's commitment root (see datasetRoot in protocol/proof) and
   * its sealed manifest's shard id (SHA-256 hex), where every member finds the chunks.
   */
  async commitDataset(
    projectId: string,
    datasetId: string,
    root: string,
    chunks: number,
    manifestShardId: string,
  ): Promise<void> {
    await sendTransaction(this.projects, 'commitDataset', [
      projectId,
      datasetId,
      root,
      chunks,
      `0x${manifestShardId}`,
    ])
  }

  /** Points a dataset at its re-sealed manifest shard (admin; the root stays). */
  async resealDataset(
    projectId: string,
    datasetId: string,
    manifestShardId: string,
  ): Promise<void> {
    await sendTransaction(this.projects, 'resealDataset', [
      projectId,
      datasetId,
      `0x${manifestShardId}`,
    ])
  }

  /** The committed root of a dataset, or undefined. */
  async datasetRoot(projectId: string, datasetId: string): Promise<string | undefined> {
    const root = await callContract<string>(this.projects, 'datasetRoot', [projectId, datasetId])
    return root === ZeroHash ? undefined : root
  }

  /** A committed dataset's root and manifest shard id, or undefined. */
  async dataset(
    projectId: string,
    datasetId: string,
  ): Promise<{ root: string; manifestShardId: string } | undefined> {
    const [root, manifest] = await callContract<[string, string]>(this.projects, 'dataset', [
      projectId,
      datasetId,
    ])
    return root === ZeroHash ? undefined : { root, manifestShardId: manifest.slice(2) }
  }

  /** Records many accesses in one transaction, with their Merkle root. */
  async recordAccessBatch(
    projectId: string,
    node: string,
    records: readonly AccessRecordInput[],
  ): Promise<string> {
    const root = accessBatchRoot(records)
    await sendTransaction(this.projects, 'recordAccessBatch', [
      projectId,
      identityIdOf(node),
      root,
      records,
    ])
    return root
  }

  // jobs

  async submitJob(
    jobId: string,
    projectId: string,
    kind: string,
    specHash: string,
    inputCommitment: string,
  ): Promise<void> {
    await sendTransaction(this.jobs, 'submitJob', [
      jobId,
      projectId,
      kind,
      specHash,
      inputCommitment,
    ])
  }

  async assignJob(jobId: string, node: string): Promise<void> {
    await sendTransaction(this.jobs, 'assignJob', [jobId, identityIdOf(node)])
  }

  async completeJob(
    jobId: string,
    resultHash: string,
    proof: string,
    publicSignals: bigint[],
  ): Promise<void> {
    await sendTransaction(this.jobs, 'completeJob', [jobId, resultHash, proof, publicSignals])
  }

  /** A job as the chain has it; undefined if unknown. */
  async job(jobId: string): Promise<OnChainJob | undefined> {
    let found: {
      projectId: string
      kind: string
      specHash: string
      inputCommitment: string
      submitter: string
      status: bigint
      nodeId: string
      resultHash: string
    }
    try {
      found = await callContract(this.jobs, 'job', [jobId])
    } catch (err) {
      if (err instanceof LedgerRevertError && err.reason === 'JobsUnknown') return undefined
      throw err
    }
    return {
      projectId: found.projectId,
      kind: found.kind,
      specHash: found.specHash,
      inputCommitment: found.inputCommitment,
      submitter: found.submitter,
      status: JOB_STATUSES[Number(found.status)]!,
      nodeId: found.nodeId,
      resultHash: found.resultHash,
    }
  }

  async failJob(jobId: string, reason: string): Promise<void> {
    await sendTransaction(this.jobs, 'failJob', [jobId, reason])
  }

  /** Withdraws a job this account submitted, for good (`JobsNotSubmitter` otherwise). */
  async cancelJob(jobId: string, reason: string): Promise<void> {
    await sendTransaction(this.jobs, 'cancelJob', [jobId, reason])
  }

  /**
   * The ids (lower-case hex) of jobs handed back (`JobFailed`), completed or cancelled from
   * block `fromBlock` to the latest, and that latest block: one query for a node watching
   * many jobs, instead of one call per job. A `fromBlock` past the latest reads no events.
   */
  async jobsSettledSince(fromBlock: number): Promise<{ jobIds: Set<string>; toBlock: number }> {
    const { logs, toBlock } = await this.eventsSince(fromBlock, [
      [this.jobs, 'JobFailed'],
      [this.jobs, 'JobCompleted'],
      [this.jobs, 'JobCancelled'],
    ])
    return { jobIds: new Set(logs.map(log => log.topics[1]!.toLowerCase())), toBlock }
  }

  /**
   * How many revocations (a project role, a key grant), identity key rotations, controller
   * changes and registrations (a name refused as unknown may now exist) the
   * chain recorded from block `fromBlock` to the latest, and that latest block: what tells
   * a node its cached authorizations may be stale. A `fromBlock` past the latest reads no
   * events.
   */
  async revocationsSince(fromBlock: number): Promise<{ count: number; toBlock: number }> {
    const { logs, toBlock } = await this.eventsSince(fromBlock, [
      [this.projects, 'ProjectRoleRevoked'],
      [this.projects, 'ProjectKeyRevoked'],
      [this.identities, 'IdentityKeyRotated'],
      [this.identities, 'IdentityControllerChanged'],
      [this.identities, 'IdentityRegistered'],
    ])
    return { count: logs.length, toBlock }
  }

  /** The named events from `fromBlock` to the latest block, and that block (none past it). */
  private async eventsSince(
    fromBlock: number,
    events: ReadonlyArray<readonly [Contract, string]>,
  ): Promise<{ logs: Array<{ topics: readonly string[] }>; toBlock: number }> {
    const toBlock = await this.jobs.runner!.provider!.getBlockNumber()
    const logs = []
    if (fromBlock <= toBlock)
      for (const [contract, name] of events)
        logs.push(...(await contract.queryFilter(name, fromBlock, toBlock)))
    return { logs, toBlock }
  }

  // sensitive actions

  async setApprovers(projectId: string, approvers: string[], threshold: number): Promise<void> {
    await sendTransaction(this.actions, 'setApprovers', [projectId, approvers, threshold])
  }

  /** The project's approvers (accounts) and how many an action needs (0: none set). */
  async approversOf(projectId: string): Promise<{ approvers: string[]; threshold: number }> {
    const [approvers, threshold] = await callContract<[string[], bigint]>(
      this.actions,
      'approversOf',
      [projectId],
    )
    return { approvers: [...approvers], threshold: Number(threshold) }
  }

  /** A proposed action, or undefined. */
  async action(actionId: string): Promise<OnChainAction | undefined> {
    try {
      const a = await callContract<
        Omit<OnChainAction, 'expiresAt' | 'executedAt'> & { expiresAt: bigint; executedAt: bigint }
      >(this.actions, 'action', [actionId])
      return {
        projectId: a.projectId,
        kind: a.kind,
        target: a.target,
        proposer: a.proposer,
        executed: a.executed,
        cancelled: a.cancelled,
        expiresAt: Number(a.expiresAt),
        executedAt: Number(a.executedAt),
      }
    } catch (err) {
      if (err instanceof LedgerRevertError && err.reason === 'ActionsUnknown') return undefined
      throw err
    }
  }

  /** The executed action of `kind` on `target` in a project, with its block, or undefined. */
  async executedAction(
    projectId: string,
    kind: string,
    target: string,
  ): Promise<{ actionId: string; block: number } | undefined> {
    const events = await this.actions.queryFilter(
      this.actions.filters.ActionExecuted!(null, projectId),
    )
    for (const event of events) {
      const {
        actionId,
        kind: k,
        target: t,
      } = (event as unknown as { args: Record<string, string> }).args
      if (k === kind && t === target) return { actionId: actionId!, block: event.blockNumber }
    }
    return undefined
  }

  /**
   * The manifest shards the chain named for any dataset of a project (commits and re-seals)
   * from `fromBlock` to the latest block, and that block: what a node needs to tell a
   * dataset's manifest from its chunks. A `fromBlock` past the latest reads no events.
   */
  async datasetManifestsSince(
    projectId: string,
    fromBlock: number,
  ): Promise<{ manifests: Array<{ datasetId: string; manifest: string }>; toBlock: number }> {
    const toBlock = await this.projects.runner!.provider!.getBlockNumber()
    const manifests: Array<{ datasetId: string; manifest: string }> = []
    if (fromBlock <= toBlock)
      for (const name of ['ProjectDatasetCommitted', 'ProjectDatasetResealed'])
        for (const event of await this.projects.queryFilter(
          this.projects.filters[name]!(projectId),
          fromBlock,
          toBlock,
        )) {
          const { datasetId, manifest } = (
            event as unknown as { args: { datasetId: string; manifest: string } }
          ).args
          manifests.push({ datasetId, manifest: manifest.slice(2) })
        }
    return { manifests, toBlock }
  }

  /** Every manifest shard the chain has named for a dataset: committed, then each re-seal. */
  async manifestHistory(projectId: string, datasetId: string): Promise<string[]> {
    const shards: string[] = []
    for (const name of ['ProjectDatasetCommitted', 'ProjectDatasetResealed'])
      for (const event of await this.projects.queryFilter(
        this.projects.filters[name]!(projectId, datasetId),
      ))
        shards.push((event as unknown as { args: { manifest: string } }).args.manifest.slice(2))
    return shards
  }

  /** Proposes an action and returns its id (from the ActionProposed event). */
  async proposeAction(projectId: string, kind: string, target: string): Promise<string> {
    const receipt = await sendTransaction(this.actions, 'propose', [projectId, kind, target])
    for (const log of receipt.logs) {
      const parsed = this.actions.interface.parseLog(log)
      if (parsed?.name === 'ActionProposed') return parsed.args.actionId as string
    }
    throw new Error('propose emitted no ActionProposed event')
  }

  /** An approver's EIP-712 signature of an action (made off chain, with their own account). */
  async signApproval(approver: Signer, actionId: string): Promise<string> {
    const action = await callContract<{ projectId: string; kind: string; target: string }>(
      this.actions,
      'action',
      [actionId],
    )
    // an ethers Result: its named fields don't spread
    const { projectId, kind, target } = action
    return signActionApproval(approver, this.deployment.actions, {
      actionId,
      projectId,
      kind,
      target,
    })
  }

  /** Withdraws a proposed action (its proposer or a project owner): its approvals then count for nothing. */
  async cancelAction(actionId: string): Promise<void> {
    await sendTransaction(this.actions, 'cancel', [actionId])
  }

  /** Executes with the given approvals; they are put in the signer order the contract requires. */
  async executeAction(
    actionId: string,
    approvals: readonly { approver: string; signature: string }[],
  ): Promise<void> {
    const sorted = [...approvals].sort((a, b) => (BigInt(a.approver) < BigInt(b.approver) ? -1 : 1))
    await sendTransaction(this.actions, 'execute', [actionId, sorted.map(a => a.signature)])
  }
}
