/**
 * The project report the dashboard exports: what the page shows, as Markdown, followed
 * by the trail re-check of `sealnet audit verify`.
 * @module
 */
import { blockTimeIso } from '../../../protocol/ledger/index.ts'
import { type TrailReport, trailReportMarkdown } from '../../sdk/index.ts'
import type { ProjectView } from '../api-types.ts'

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

function table(head: string[], rows: string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${r.map(cell).join(' | ')} |`),
  ]
}

export function projectReportMarkdown(
  view: ProjectView,
  trail: TrailReport,
  chain: { chainId: string; block: number },
  generatedAt: Date,
): string {
  const accesses = view.access.buckets.reduce((n, b) => n + b.read + b.write + b.delete, 0)
  return [
    `# Sealnet project report: ${view.name}`,
    '',
    `Project id \`${view.projectId}\` on chain ${chain.chainId}, read at block ${chain.block} on ${generatedAt.toISOString()}.`,
    `Owner ${view.owner}; key version ${view.keyVersion}; retention ${view.retentionSeconds} s.`,
    '',
    '## Members',
    '',
    ...table(
      ['identity', 'account', 'roles'],
      view.members.map(m => [m.identity ?? '(unregistered)', m.account, m.roles.join(', ')]),
    ),
    '',
    '## Nodes',
    '',
    ...table(
      ['node', 'state', 'key version', 'measurement'],
      view.nodes.map(n => [
        n.name,
        n.state,
        n.keyVersion === undefined ? '' : String(n.keyVersion),
        n.measurement === undefined
          ? ''
          : `${n.measurement.slice(0, 18)}… (${n.measurementAllowed ? 'allowed' : 'no longer allowed'})`,
      ]),
    ),
    '',
    '## Grants and revocations',
    '',
    ...table(
      ['time', 'block', 'change', 'who', 'detail'],
      view.grantHistory.map(g => [
        blockTimeIso(g.timestamp),
        String(g.block),
        g.change,
        g.subject,
        g.detail,
      ]),
    ),
    '',
    '## Jobs',
    '',
    ...table(
      ['job', 'kind', 'submitter', 'node', 'status', 'proof'],
      view.jobs.map(j => [
        `\`${j.jobId.slice(0, 18)}…\``,
        j.kind,
        j.submitter,
        j.node ?? '',
        j.status,
        `${j.proof.state}: ${j.proof.detail}`,
      ]),
    ),
    '',
    '## Accesses',
    '',
    `${accesses} access record(s) in ${view.access.batches} batch(es); ${view.access.batchesVerified} batch root(s) match their records.`,
    '',
    ...table(
      ['from', 'read', 'write', 'delete'],
      view.access.buckets
        .filter(b => b.read + b.write + b.delete > 0)
        .map(b => [blockTimeIso(b.start), String(b.read), String(b.write), String(b.delete)]),
    ),
    '',
    trailReportMarkdown(trail, view.name).replace(/^# /, '## '),
  ].join('\n')
}
