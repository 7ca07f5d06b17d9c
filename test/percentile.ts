/** Nearest-rank percentiles, for the load test's and the node bench's latency figures. */

/** The value at percentile `p` (0–100) of `values`: the nearest rank below, so 100 is the maximum. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
