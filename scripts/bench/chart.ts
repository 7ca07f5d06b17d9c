/**
 * bench/results.svg: every figure as a bar on a log scale from parity (1×), with its
 * target marked; green meets the target, red misses it, grey has none. No dependency:
 * the SVG is written as text, and opens in any browser.
 * @module
 */
import type { BenchResult } from './measure.ts'

const ROW = 22
const LABEL = 420
const PLOT = 480
/** The axis spans 1/100× to 100×. */
const DECADES = 2

const x = (ratio: number) =>
  LABEL + PLOT / 2 + (Math.log10(Math.min(Math.max(ratio, 1e-2), 1e2)) / DECADES) * (PLOT / 2)

const xmlText = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

export function resultsChart(results: readonly BenchResult[]): string {
  const height = ROW * (results.length + 2)
  const rows = results.map((r, i) => {
    const y = ROW * (i + 1)
    const [from, to] = [x(1), x(r.value)].sort((a, b) => a - b)
    const color = r.meets === null ? '#a0aec0' : r.meets ? '#38a169' : '#e53e3e'
    const target = r.target === null ? undefined : Number(r.target.split(' ')[1])
    return [
      `<text x="${LABEL - 8}" y="${y + 15}" text-anchor="end">${xmlText(r.id)}</text>`,
      `<rect x="${from}" y="${y + 4}" width="${Math.max(1, to! - from!)}" height="${ROW - 8}" fill="${color}"><title>${xmlText(`${r.id}: ${r.value} (target ${r.target ?? 'none'}); ${r.median.ours} vs ${r.median.baseline} ${r.sampleUnit}; baseline: ${r.baseline}`)}</title></rect>`,
      target === undefined
        ? ''
        : `<line x1="${x(target)}" x2="${x(target)}" y1="${y + 1}" y2="${y + ROW - 1}" stroke="#1a202c" stroke-width="2"/>`,
      `<text x="${LABEL + PLOT + 8}" y="${y + 15}">${r.value}</text>`,
    ].join('')
  })
  const ticks = [0.01, 0.1, 1, 10, 100].map(
    t =>
      `<line x1="${x(t)}" x2="${x(t)}" y1="${ROW}" y2="${height - ROW}" stroke="#e2e8f0"/><text x="${x(t)}" y="${height - 6}" text-anchor="middle">${t}×</text>`,
  )
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL + PLOT + 80}" height="${height}" font-family="sans-serif" font-size="12">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="8" y="15" font-weight="bold">Sealnet bench: each figure against its same-run baseline (log scale; | marks the target)</text>`,
    ...ticks,
    ...rows,
    '</svg>',
    '',
  ].join('\n')
}
