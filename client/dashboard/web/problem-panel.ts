/** What the page shows instead of data when the chain or the request is wrong. */
import type { ChainProblem } from '../api-types.ts'
import { h } from './dom.ts'

const TITLES: Record<ChainProblem['code'], string> = {
  'no-deployment': 'No chain is configured',
  'rpc-unreachable': 'The chain does not answer',
  'contracts-missing': 'This chain has no Sealnet contracts',
  'unknown-project': 'Unknown project',
  'bad-request': 'Bad request',
  'chain-error': 'Reading the chain failed',
}

export function problemPanel(problem: ChainProblem): HTMLElement {
  return h(
    'section',
    { class: 'problem', 'data-testid': 'problem', 'data-code': problem.code },
    h('h2', {}, TITLES[problem.code]),
    h('p', {}, problem.message),
    problem.code === 'unknown-project' || problem.code === 'bad-request'
      ? h('p', {}, h('a', { href: '#/' }, 'Back to the projects'))
      : null,
  )
}
