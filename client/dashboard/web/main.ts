/**
 * The auditor's dashboard: routes (#/ and #/project/<id>), the chain status line, and
 * live refresh when the server reports blocks with new Sealnet events.
 * @module
 */
import './style.css'
import type { ChainProblem, ChainStatus, Overview, ProjectView } from '../api-types.ts'
import { load } from './api.ts'
import { h } from './dom.ts'
import { overviewPage } from './overview-page.ts'
import { problemPanel } from './problem-panel.ts'
import { projectPage } from './project-page.ts'
import { NO_FILTER, type TimelineFilter, timelinePanel } from './timeline-panel.ts'

const app = document.getElementById('app')!
const chainLine = document.getElementById('chain')!
const live = document.getElementById('live')!
const banner = document.getElementById('banner')!

let status: ChainStatus | undefined
let filter: TimelineFilter = NO_FILTER
let filteredProject = ''
/** Renders are numbered so a slow, stale one never overwrites a newer one. */
let renderCount = 0

function showProblem(problem: ChainProblem | undefined): void {
  banner.hidden = problem === undefined
  banner.textContent = problem?.message ?? ''
}

async function refreshStatus(): Promise<ChainStatus> {
  const loaded = await load<ChainStatus>('api/status')
  status = loaded.data ?? { ok: false, proofCheck: '', problem: loaded.problem }
  chainLine.textContent = status.ok
    ? `chain ${status.chainId} at ${status.rpc} · block ${status.block}`
    : 'chain not readable'
  showProblem(status.problem)
  return status
}

async function projectContent(projectId: string): Promise<HTMLElement> {
  if (filteredProject !== projectId) {
    filter = NO_FILTER
    filteredProject = projectId
  }
  const [view, overview] = await Promise.all([
    load<ProjectView>(`api/projects/${projectId}`),
    load<Overview>('api/overview'),
  ])
  if (view.problem) return problemPanel(view.problem)
  if (overview.problem) return problemPanel(overview.problem)
  const page = projectPage(view.data, status?.proofCheck ?? '')
  const { identities } = overview.data
  // a new filter redraws the timeline only: the rest of the page does not depend on it
  const refilter = async (next: TimelineFilter) => {
    filter = next
    const panel = await timelinePanel(projectId, identities, filter, refilter)
    page.querySelector('[data-testid=timeline-section], [data-testid=problem]')?.replaceWith(panel)
    app.dataset.renderedAt = String(Date.now())
  }
  page.append(await timelinePanel(projectId, identities, filter, refilter))
  return page
}

async function render(): Promise<void> {
  const count = ++renderCount
  const current = await refreshStatus()
  const route = /^#\/project\/(.+)$/.exec(location.hash)
  let content: HTMLElement
  if (!current.ok && current.problem) content = problemPanel(current.problem)
  else if (route) content = await projectContent(decodeURIComponent(route[1]!))
  else {
    const overview = await load<Overview>('api/overview')
    content = overview.problem ? problemPanel(overview.problem) : overviewPage(overview.data)
  }
  if (count !== renderCount) return
  app.replaceChildren(content)
  app.dataset.renderedAt = String(Date.now())
}

/** New events, or a chain that came back: redraw what is shown (the filter is kept). */
function listen(): void {
  const events = new EventSource('api/events')
  events.addEventListener('ledger', message => {
    const { block, events: count } = JSON.parse((message as MessageEvent).data) as {
      block: number
      events: number
    }
    live.textContent =
      count > 0 ? `live · ${count} new event${count === 1 ? '' : 's'} in block ${block}` : 'live'
    void render()
  })
  events.addEventListener('problem', message => {
    showProblem(JSON.parse((message as MessageEvent).data) as ChainProblem)
    live.textContent = 'waiting for the chain'
  })
  events.addEventListener('open', () => {
    live.textContent = 'live'
  })
  events.addEventListener('error', () => {
    live.textContent = 'reconnecting to the dashboard server…'
  })
}

window.addEventListener('hashchange', () => void render())
// while the chain can't be read, look again every few seconds
setInterval(() => {
  if (status && !status.ok) void render()
}, 3000)
listen()
void render().catch(err => {
  app.replaceChildren(h('p', { class: 'problem' }, `The page failed: ${(err as Error).message}`))
})
