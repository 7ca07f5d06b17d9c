import { resolve } from 'node:path'
import { Command } from 'commander'
import { SealnetError } from '../../../protocol/sealnet-error.ts'
import {
  type TrailReport,
  trailReportMarkdown,
  verifyProjectTrail,
  writeFileAtomic,
} from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'
import { openProjectLedger } from './open-project.ts'

export class AuditFailedError extends SealnetError {
  readonly code = 'audit-failed'
  constructor(failed: number, total: number) {
    super(`${failed} of ${total} checks failed`)
  }
}

export function auditVerifyCommand(): Command {
  return new Command('verify')
    .description(
      "Re-check a project's trail from the chain alone: every job's proofs, result and dataset, every access batch's root",
    )
    .argument('<project>', 'project name, or its 0x id')
    .option('--markdown <file>', 'also write the report as Markdown')
    .action(async (project: string, opts: { markdown?: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const { ledger, projectId, close } = await openProjectLedger(global, project)
      try {
        const report = await verifyProjectTrail(ledger, projectId)
        if (opts.markdown)
          await writeFileAtomic(resolve(opts.markdown), trailReportMarkdown(report, project))
        print(global, report, [
          `project ${project} (${projectId})`,
          ...report.checks.map(
            c =>
              `${c.ok ? 'pass' : 'FAIL'}  ${c.subject.padEnd(12)} ${c.id.slice(0, 14)}…  block ${c.block}  ${c.detail}`,
          ),
          `${report.passed} passed${attestedNote(report)}, ${report.failed} failed`,
        ])
        if (report.failed > 0) throw new AuditFailedError(report.failed, report.checks.length)
      } finally {
        await close()
      }
    })
}

/** How many passing checks are attested jobs: vouched for by their node, not proven. */
function attestedNote(report: TrailReport): string {
  const attested = report.checks.filter(c => c.ok && c.attested).length
  return attested ? ` (${attested} of them attested jobs, not proven)` : ''
}
