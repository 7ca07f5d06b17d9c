/** A chain whose jobs contract checks real proofs (router + adapters + generated verifiers), with a project node1 may serve. */
import { id } from 'ethers'
import type { Ledger } from '../protocol/ledger/index.ts'
import { type Fixture, startFixture } from './ledger-fixture.ts'

export interface ProvingLedger {
  fixture: Fixture
  owner: Ledger
  node: Ledger
  project: string
  /** Submits job `name` over `root` as the owner and assigns it to node1. */
  submitAndAssign(name: string, kind: 'stats' | 'linear' | 'mlp', root: string): Promise<string>
}

export async function startProvingLedger(sizes: {
  statsSize: number
  linearRecords: number
}): Promise<ProvingLedger> {
  const fixture = await startFixture({ verifier: sizes })
  const { alice, node1 } = fixture.accounts
  const owner = alice.ledger
  const node = node1.ledger
  await owner.registerIdentity('user', alice.record)
  await node.registerIdentity('node', node1.record, 'peer')
  const project = await owner.createProject('proofs', 0)
  await owner.allowMeasurement(project, id('m'))
  await owner.recordGrant(project, 'node1', 1, 'ab'.repeat(32), id('m'))
  return {
    fixture,
    owner,
    node,
    project,
    async submitAndAssign(name, kind, root) {
      const jobId = id(name)
      await owner.submitJob(jobId, project, id(kind), id('spec'), root)
      await node.assignJob(jobId, 'node1')
      return jobId
    },
  }
}
