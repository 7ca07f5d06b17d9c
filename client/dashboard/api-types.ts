/**
 * The JSON the dashboard's API serves, shared by the server and the page. Everything is
 * read from the chain; ids are 0x hex, times are Unix seconds.
 * @module
 */
import type { TimelineEntry } from '../../protocol/ledger/index.ts'

/** Why the dashboard can't show the chain right now; `code` picks the page's message. */
export interface ChainProblem {
  code:
    | 'no-deployment'
    | 'rpc-unreachable'
    | 'contracts-missing'
    | 'unknown-project'
    | 'bad-request'
    | 'chain-error'
  message: string
}

export interface ChainStatus {
  ok: boolean
  rpc?: string
  chainId?: string
  block?: number
  /** How job proofs are checked, said on the page. */
  proofCheck: string
  problem?: ChainProblem
}

export interface ProjectSummary {
  projectId: string
  name: string
  owner: string
  createdBlock: number
}

export interface IdentitySummary {
  identityId: string
  name: string
  kind: 'user' | 'node'
  controller: string
  peerId: string
}

export interface Overview {
  projects: ProjectSummary[]
  identities: IdentitySummary[]
}

export type NodeState = 'authorized' | 'stale-key' | 'revoked' | 'not-authorized'

export interface NodeStatus {
  name: string
  peerId: string
  state: NodeState
  /** Key version of its live or last grant. */
  keyVersion?: number
  /** The measurement checked at its grant. */
  measurement?: string
  /** Whether that measurement is still on the project's allowlist. */
  measurementAllowed?: boolean
}

export interface GrantChange {
  timestamp: number
  block: number
  transactionHash: string
  change: 'key granted' | 'key revoked' | 'role granted' | 'role revoked' | 'key rotated'
  /** Identity name, account, or the project (key rotated). */
  subject: string
  detail: string
}

export interface ProofStatus {
  /**
   * `no proof`: a sum, checked by re-execution by those who may read its data.
   * `attested`: an ONNX or training job, vouched for by its node and not proven; the chain
   * binds its dataset, model and result hash.
   */
  state: 'verified' | 'failed' | 'not completed' | 'no proof' | 'attested'
  detail: string
}

export interface JobSummary {
  jobId: string
  kind: string
  submitter: string
  submittedAt: number
  status: 'submitted' | 'assigned' | 'completed' | 'cancelled'
  /** Why its submitter withdrew it, when cancelled. */
  cancelled?: string
  node?: string
  resultHash?: string
  completedAt?: number
  failures: Array<{ node: string; reason: string; timestamp: number }>
  proof: ProofStatus
}

export interface AccessBucket {
  /** Start of the bucket, Unix seconds. */
  start: number
  read: number
  write: number
  delete: number
}

export interface AccessSeries {
  bucketSeconds: number
  buckets: AccessBucket[]
  batches: number
  /** Access batches whose Merkle root matches their records. */
  batchesVerified: number
}

export interface ProjectView {
  projectId: string
  name: string
  owner: string
  retentionSeconds: number
  keyVersion: number
  members: Array<{ account: string; identity?: string; roles: string[] }>
  nodes: NodeStatus[]
  grantHistory: GrantChange[]
  datasets: Array<{ datasetId: string; root: string; chunks: number }>
  allowedMeasurements: string[]
  jobs: JobSummary[]
  access: AccessSeries
}

export interface TimelineResponse {
  total: number
  entries: TimelineEntry[]
  /** Ids (identity ids, role hashes, accounts) → names, for display. */
  names: Record<string, string>
  /** Every event kind the project's contracts can emit, for the filter. */
  kinds: string[]
}
