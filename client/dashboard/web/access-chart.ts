/**
 * Access records over time as bars (uPlot), one series per action; each is narrower than
 * the one before, so a bucket with reads and writes shows both.
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { AccessSeries } from '../api-types.ts'

const COLORS = { read: '#2b6cb0', write: '#2f855a', delete: '#c53030' } as const

const WIDTHS = { read: 0.9, write: 0.6, delete: 0.3 } as const

export function accessChart(series: AccessSeries, container: HTMLElement): uPlot {
  const xs = series.buckets.map(b => b.start)
  const ys = (['read', 'write', 'delete'] as const).map(action =>
    series.buckets.map(b => b[action]),
  )
  return new uPlot(
    {
      width: Math.min(860, container.clientWidth || 860),
      height: 220,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [
        {},
        ...(['read', 'write', 'delete'] as const).map(action => ({
          label: action,
          stroke: COLORS[action],
          fill: `${COLORS[action]}99`,
          paths: uPlot.paths.bars!({ size: [WIDTHS[action], 60] }),
          points: { show: false },
        })),
      ],
      axes: [{}, { label: `records per ${series.bucketSeconds} s` }],
    },
    [xs, ...ys],
    container,
  )
}
