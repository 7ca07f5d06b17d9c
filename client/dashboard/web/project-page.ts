/** One project: its nodes, members, grants, jobs with proof status, accesses and datasets. */
import type { NodeStatus, ProjectView } from '../api-types.ts'
import { accessChart } from './access-chart.ts'
import { h, iso, short, table } from './dom.ts'

const NODE_STATES: Record<NodeStatus['state'], string> = {
  authorized: 'authorized',
  'stale-key': 'holds an old key version only',
  revoked: 'revoked',
  'not-authorized': 'not authorized: no key was released to it',
}

function nodeState(node: NodeStatus): HTMLElement {
  return h('span', { class: `badge ${node.state}` }, NODE_STATES[node.state])
}

function measurement(node: NodeStatus): HTMLElement | string {
  if (node.measurement === undefined) return '—'
  return h(
    'span',
    {},
    short(node.measurement),
    node.measurementAllowed ? ' (on the allowlist)' : ' (no longer on the allowlist)',
  )
}

export function projectPage(view: ProjectView, proofCheck: string): HTMLElement {
  const accesses = view.access.buckets.reduce((n, b) => n + b.read + b.write + b.delete, 0)
  const chart = h('div', { class: 'chart', 'data-testid': 'access-chart' })
  const page = h(
    'div',
    { 'data-testid': 'project', 'data-project-id': view.projectId },
    h('h1', {}, `Project ${view.name}`),
    h(
      'p',
      { class: 'facts' },
      'id ',
      short(view.projectId),
      ` · owner ${view.owner} · key version ${view.keyVersion} · retention ${Math.round(view.retentionSeconds / 86400)} days · `,
      h(
        'a',
        { href: `api/projects/${view.projectId}/report.md`, download: '', 'data-testid': 'export' },
        'Export the report (Markdown)',
      ),
    ),
    h('h2', {}, 'Nodes'),
    table(
      'nodes',
      ['node', 'standing', 'key version', 'measurement at its grant', 'peer id'],
      view.nodes.map(n => ({
        attrs: { 'data-node': n.name, 'data-state': n.state },
        cells: [n.name, nodeState(n), n.keyVersion ?? '—', measurement(n), short(n.peerId)],
      })),
      'No node is registered on this chain.',
    ),
    h('h2', {}, 'Members'),
    table(
      'members',
      ['identity', 'account', 'roles'],
      view.members.map(m => ({
        cells: [m.identity ?? '(no registered identity)', short(m.account), m.roles.join(', ')],
      })),
      'No members.',
    ),
    h('h2', {}, 'Grants and revocations'),
    table(
      'grants',
      ['time', 'block', 'change', 'who', 'detail'],
      view.grantHistory.map(g => ({
        attrs: { 'data-change': g.change },
        cells: [iso(g.timestamp), g.block, g.change, g.subject, g.detail],
      })),
      'Nothing granted yet.',
    ),
    h('h2', {}, 'Jobs'),
    h('p', { class: 'note', 'data-testid': 'proof-check' }, proofCheck),
    table(
      'jobs',
      ['job', 'kind', 'submitted', 'by', 'node', 'status', 'proof'],
      view.jobs.map(j => ({
        attrs: { 'data-job': j.jobId, 'data-proof': j.proof.state },
        cells: [
          short(j.jobId),
          j.kind,
          iso(j.submittedAt),
          j.submitter,
          j.node ?? '—',
          h(
            'span',
            {},
            j.status,
            ...j.failures.map(f =>
              h('div', { class: 'failure' }, `failed on ${f.node}: ${f.reason}`),
            ),
          ),
          h(
            'span',
            {},
            h(
              'span',
              { class: `badge proof-${j.proof.state.replace(' ', '-')}` },
              j.proof.state === 'attested' ? 'attested, not proven' : j.proof.state,
            ),
            ' ',
            j.proof.detail,
          ),
        ],
      })),
      'No jobs yet.',
    ),
    h('h2', {}, 'Accesses over time'),
    h(
      'p',
      { 'data-testid': 'access-summary' },
      `${accesses} access record${accesses === 1 ? '' : 's'} in ${view.access.batches} batch${view.access.batches === 1 ? '' : 'es'} reported by nodes; ${view.access.batchesVerified} batch root${view.access.batchesVerified === 1 ? '' : 's'} match their records.`,
    ),
    chart,
    h('h2', {}, 'Datasets'),
    table(
      'datasets',
      ['dataset', 'root (job input)', 'chunks'],
      view.datasets.map(d => ({ cells: [short(d.datasetId), short(d.root), d.chunks] })),
      'No dataset committed yet.',
    ),
  )
  // uPlot measures its container: draw once the page is in the document
  if (view.access.buckets.length > 0) requestAnimationFrame(() => accessChart(view.access, chart))
  return page
}
