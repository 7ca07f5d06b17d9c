/** A tiny element builder: the page has no framework, so views are plain functions. */
export type Child = Node | string | number | null | undefined | false

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs))
    if (value !== undefined) element.setAttribute(name, value)
  for (const child of children)
    if (child !== null && child !== undefined && child !== false)
      element.append(typeof child === 'number' ? String(child) : child)
  return element
}

/** A table with a header row; each row is a list of cells. */
export function table(
  testId: string,
  head: string[],
  rows: Array<{ cells: Child[]; attrs?: Record<string, string> }>,
  empty: string,
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty', 'data-testid': testId }, empty)
  return h(
    'table',
    { 'data-testid': testId },
    h('thead', {}, h('tr', {}, ...head.map(title => h('th', {}, title)))),
    h(
      'tbody',
      {},
      ...rows.map(row => h('tr', row.attrs ?? {}, ...row.cells.map(c => h('td', {}, c)))),
    ),
  )
}

export const iso = (seconds: number) =>
  new Date(seconds * 1000).toISOString().replace('T', ' ').replace('.000Z', 'Z')

/** Long hex shortened for reading; the full value stays in the title. */
export function short(hex: string): HTMLElement {
  return h('code', { title: hex }, hex.length > 18 ? `${hex.slice(0, 10)}…${hex.slice(-4)}` : hex)
}
