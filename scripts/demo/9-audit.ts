/** The demo, section 9: An auditor reads and verifies the on-chain log (no key, no password). */

import { verifyProjectTrail } from '../../client/sdk/index.ts'
import { knownNames, projectTimeline } from '../../protocol/ledger/index.ts'
import { releaseProverThreads } from '../../protocol/proof/index.ts'
import { section, step } from './progress.ts'
import type { BeforeSection9 } from './stages.ts'

export type AuditStage = Awaited<ReturnType<typeof auditTrail>>

export async function auditTrail(story: BeforeSection9) {
  const { accounts, aliceLedger, projectId } = story
  section('9. An auditor reads and verifies the on-chain log (no key, no password)')
  const auditor = aliceLedger.as(accounts[0]!)
  const timeline = await step(
    'the project timeline is read from contract events',
    () => projectTimeline(auditor, projectId),
    t => `${t.total} events`,
  )
  const names = await knownNames(auditor)
  for (const entry of timeline.entries) {
    const subject = ['grantee', 'nodeId', 'role']
      .map(k => entry.args[k])
      .find(v => typeof v === 'string') as string | undefined
    process.stdout.write(
      `      block ${String(entry.blockNumber).padEnd(4)} ${entry.kind.padEnd(28)} ${subject ? (names.get(subject) ?? subject) : ''}\n`,
    )
  }
  await step(
    "the auditor re-checks the whole trail from the chain alone: each job's proofs (snarkjs), result hash and dataset root, each access batch's Merkle root",
    async () => {
      const report = await verifyProjectTrail(auditor, projectId)
      await releaseProverThreads()
      if (report.failed > 0)
        throw new Error(`${report.failed} of ${report.checks.length} checks failed`)
      return report
    },
    r =>
      `${r.passed} passed, ${r.failed} failed (${r.checks.filter(c => c.subject === 'job').length} jobs, ${r.checks.filter(c => c.subject === 'access-batch').length} access batches)`,
  )
  return {}
}
