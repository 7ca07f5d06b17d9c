/**
 * A project's timeline with its filters (kind of event, identity, time range). The filter
 * stays as set when the page refreshes for a new block.
 * @module
 */
import type { IdentitySummary, TimelineResponse } from '../api-types.ts'
import { load } from './api.ts'
import { h, iso, short } from './dom.ts'
import { problemPanel } from './problem-panel.ts'

export interface TimelineFilter {
  kind: string
  involving: string
  /** datetime-local values, '' when open. */
  since: string
  until: string
}

export const NO_FILTER: TimelineFilter = { kind: '', involving: '', since: '', until: '' }

const seconds = (local: string) =>
  local === '' ? '' : String(Math.floor(new Date(local).getTime() / 1000))

/** One argument for reading: a known id by its name, long hex shortened, records counted. */
function argument(value: unknown, names: Record<string, string>): Node | string {
  if (typeof value === 'string') {
    const name = names[value] ?? names[value.toLowerCase()]
    if (name) return name
    if (/^0x[0-9a-fA-F]{40,}$/.test(value)) return short(value)
    return value
  }
  if (Array.isArray(value)) return `${value.length} record${value.length === 1 ? '' : 's'}`
  return String(value)
}

function details(args: Record<string, unknown>, names: Record<string, string>): HTMLElement {
  const shown = Object.entries(args).filter(
    ([name]) => !['projectId', 'publicKey', 'record'].includes(name),
  )
  return h(
    'span',
    { class: 'args' },
    ...shown.flatMap(([name, value]) => [
      h('span', { class: 'arg' }, `${name}=`, argument(value, names)),
      ' ',
    ]),
  )
}

function timeInput(name: 'since' | 'until', value: string): HTMLInputElement {
  const input = h('input', {
    type: 'datetime-local',
    name,
    'data-testid': `filter-${name}`,
    step: '1',
  })
  input.value = value
  return input
}

export async function timelinePanel(
  projectId: string,
  identities: IdentitySummary[],
  filter: TimelineFilter,
  onFilter: (filter: TimelineFilter) => void,
): Promise<HTMLElement> {
  const query = new URLSearchParams({
    kind: filter.kind,
    involving: filter.involving,
    since: seconds(filter.since),
    until: seconds(filter.until),
  })
  const loaded = await load<TimelineResponse>(`api/projects/${projectId}/timeline?${query}`)
  if (loaded.problem) return problemPanel(loaded.problem)
  const { entries, total, names, kinds } = loaded.data
  const kind = h(
    'select',
    { name: 'kind', 'data-testid': 'filter-kind' },
    h('option', { value: '' }, 'every kind'),
    ...kinds.map(k => h('option', { value: k }, k)),
  )
  kind.value = filter.kind
  const involving = h(
    'select',
    { name: 'involving', 'data-testid': 'filter-identity' },
    h('option', { value: '' }, 'anyone'),
    ...identities.map(i => h('option', { value: i.name }, `${i.name} (${i.kind})`)),
  )
  involving.value = filter.involving
  const since = timeInput('since', filter.since)
  const until = timeInput('until', filter.until)
  const form = h(
    'form',
    { class: 'filters', 'data-testid': 'timeline-filters' },
    h('label', {}, 'Kind ', kind),
    h('label', {}, 'Identity ', involving),
    h('label', {}, 'From ', since),
    h('label', {}, 'To ', until),
    h('button', { type: 'submit' }, 'Filter'),
    h('button', { type: 'reset' }, 'Clear'),
  )
  form.addEventListener('submit', event => {
    event.preventDefault()
    onFilter({
      kind: kind.value,
      involving: involving.value,
      since: since.value,
      until: until.value,
    })
  })
  form.addEventListener('reset', event => {
    event.preventDefault()
    onFilter(NO_FILTER)
  })
  return h(
    'section',
    { 'data-testid': 'timeline-section' },
    h('h2', {}, 'Timeline'),
    form,
    h(
      'p',
      { 'data-testid': 'timeline-count' },
      `${entries.length} of ${total} event${total === 1 ? '' : 's'}`,
    ),
    h(
      'table',
      { 'data-testid': 'timeline' },
      h(
        'thead',
        {},
        h('tr', {}, ...['time', 'block', 'event', 'details'].map(t => h('th', {}, t))),
      ),
      h(
        'tbody',
        {},
        ...entries.map(entry =>
          h(
            'tr',
            { 'data-kind': entry.kind },
            h('td', {}, iso(entry.timestamp)),
            h('td', {}, entry.blockNumber),
            h('td', {}, entry.kind),
            h('td', {}, details(entry.args, names)),
          ),
        ),
      ),
    ),
  )
}
