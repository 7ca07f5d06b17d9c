/** Bench helpers: timing, medians and the result row every area reports. */

export interface BenchResult {
  /** Stable id, area first: `masterkey.rsa2048.vs_native`. */
  id: string
  value: number
  unit: string
  /** What the value is measured against, in the same run. */
  baseline: string
  /** e.g. "<= 1.5" or ">= 0.8"; null when the figure is informational. */
  target: string | null
  meets: boolean | null
  /** Median and spread (min, max) of each side, in `sampleUnit`. */
  median: { ours: number; baseline: number }
  spread: { ours: [number, number]; baseline: [number, number] }
  sampleUnit: string
  runs: number
  /** Facts behind the figure (constraint counts, gas), when they help read it. */
  detail?: Record<string, number | string>
}

export interface BenchOptions {
  quick: boolean
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function timeMs(work: () => void): number {
  const t0 = performance.now()
  work()
  return performance.now() - t0
}

export async function timeMsAsync(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await work()
  return performance.now() - t0
}

/** Runs both sides alternately (so drift and noise hit both alike) and returns the samples. */
export function interleave(
  runs: number,
  ours: (i: number) => number,
  baseline: (i: number) => number,
) {
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < runs; i++) {
    a.push(ours(i))
    b.push(baseline(i))
  }
  return { ours: a, baseline: b }
}

function check(value: number, target: string | null): boolean | null {
  if (target === null) return null
  const [op, limit] = target.split(' ')
  return op === '<=' ? value <= Number(limit) : value >= Number(limit)
}

/** A ratio row: `ratio(oursMedian, baselineMedian)` decides the direction (time or throughput). */
export function ratioResult(
  fields: { id: string; baseline: string; target: string | null; sampleUnit: string },
  samples: { ours: number[]; baseline: number[] },
  ratio: (ours: number, baseline: number) => number,
): BenchResult {
  const ours = median(samples.ours)
  const base = median(samples.baseline)
  const value = Number(ratio(ours, base).toFixed(3))
  return {
    id: fields.id,
    value,
    unit: 'ratio',
    baseline: fields.baseline,
    target: fields.target,
    meets: check(value, fields.target),
    median: { ours: Number(ours.toFixed(3)), baseline: Number(base.toFixed(3)) },
    spread: {
      ours: [
        Number(Math.min(...samples.ours).toFixed(3)),
        Number(Math.max(...samples.ours).toFixed(3)),
      ],
      baseline: [
        Number(Math.min(...samples.baseline).toFixed(3)),
        Number(Math.max(...samples.baseline).toFixed(3)),
      ],
    },
    sampleUnit: fields.sampleUnit,
    runs: samples.ours.length,
  }
}
