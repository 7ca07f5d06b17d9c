/** The first page: every project and identity on the chain. */
import type { Overview } from '../api-types.ts'
import { h, short, table } from './dom.ts'

export function overviewPage(overview: Overview): HTMLElement {
  const owners = new Map(overview.identities.map(i => [i.controller.toLowerCase(), i.name]))
  const goTo = h('input', {
    id: 'open-project',
    'data-testid': 'open-project',
    placeholder: '0x… project id',
    size: '70',
  })
  const form = h(
    'form',
    { class: 'open' },
    h('label', { for: 'open-project' }, 'Open a project by id '),
    goTo,
    h('button', { type: 'submit' }, 'Open'),
  )
  form.addEventListener('submit', event => {
    event.preventDefault()
    location.hash = `#/project/${goTo.value.trim()}`
  })
  return h(
    'div',
    {},
    h('h1', {}, 'Projects'),
    table(
      'projects',
      ['project', 'id', 'owner', 'created in block'],
      overview.projects.map(p => ({
        attrs: { 'data-project': p.name },
        cells: [
          h('a', { href: `#/project/${p.projectId}` }, p.name),
          short(p.projectId),
          owners.get(p.owner.toLowerCase()) ?? short(p.owner),
          p.createdBlock,
        ],
      })),
      'No project on this chain yet.',
    ),
    form,
    h('h1', {}, 'Identities and nodes'),
    table(
      'identities',
      ['name', 'kind', 'account', 'peer id'],
      overview.identities.map(i => ({
        attrs: { 'data-identity': i.name },
        cells: [i.name, i.kind, short(i.controller), i.peerId ? short(i.peerId) : '—'],
      })),
      'No identity registered yet.',
    ),
  )
}
