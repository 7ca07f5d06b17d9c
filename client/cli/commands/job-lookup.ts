/** What the job commands share: reading a job id, finding the job and its node on chain, and their errors. */

import { type Ledger, registeredIdentities } from '../../../protocol/ledger/index.ts'
import { SealnetError } from '../../../protocol/sealnet-error.ts'
import type { StorageNode } from '../../../protocol/wire/index.ts'
import { parseId32 } from '../io.ts'

export class UnknownJobError extends SealnetError {
  readonly code = 'unknown-job'
  constructor(jobId: string) {
    super(`the ledger has no job ${jobId}`)
  }
}

export class NotYourJobError extends SealnetError {
  readonly code = 'not-your-job'
  constructor(jobId: string) {
    super(`job ${jobId} was submitted by another account: only its submitter can cancel it`)
  }
}

export class JobNotCancellableError extends SealnetError {
  readonly code = 'job-not-cancellable'
  constructor(jobId: string, status: string) {
    super(`job ${jobId} is ${status}: only a submitted or assigned job can be cancelled`)
  }
}

export const parseJobId = (text: string) => parseId32(text, 'a job id (printed by "job submit")')

/** Every registered node, by identity id: who the chain says runs a job, and its peer id. */
export async function nodesById(ledger: Ledger): Promise<Map<string, StorageNode>> {
  const nodes = new Map<string, StorageNode>()
  for (const i of await registeredIdentities(ledger))
    if (i.kind === 'node') nodes.set(i.identityId, { identity: i.name, peerId: i.peerId })
  return nodes
}
