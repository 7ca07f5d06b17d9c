/** What the chain holds, as the rest of the code reads it: identities, jobs, actions. */

export const IDENTITY_KINDS = { user: 1, node: 2 } as const

export interface OnChainIdentity {
  kind: 'user' | 'node'
  controller: string
  fingerprint: string
  keyVersion: number
  publicKey: string
  peerId: string
}

/** SealnetJobs.Status; a failed job goes back to `submitted`, ready for another node. */
export const JOB_STATUSES = ['none', 'submitted', 'assigned', 'completed', 'cancelled'] as const

export interface OnChainJob {
  projectId: string
  kind: string
  specHash: string
  inputCommitment: string
  submitter: string
  status: (typeof JOB_STATUSES)[number]
  /** identityId of the assigned node (zero until assigned). */
  nodeId: string
  resultHash: string
}

export interface OnChainAction {
  projectId: string
  kind: string
  target: string
  proposer: string
  executed: boolean
  cancelled: boolean
  /** Unix seconds after which its approvals count for nothing. */
  expiresAt: number
  /** Unix seconds it was executed at (0 until then). */
  executedAt: number
}
