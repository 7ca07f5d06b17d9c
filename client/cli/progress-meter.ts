/**
 * A transfer's progress on stderr: on a terminal one line redrawn in place
 * ("[#########-----------] 96/256 MiB  61.3 MiB/s"), elsewhere a line every 10 %, so
 * logs stay short. The last call prints the total and the average rate.
 * @module
 */

const WIDTH = 24
const MIB = 1024 * 1024

export interface ProgressMeter {
  /** `done` of `total` bytes moved so far. */
  update(done: number, total: number): void
  /** The average rate, MiB/s, from the first update to now. */
  finish(): number
}

export function progressMeter(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressMeter {
  const started = performance.now()
  let lastTenth = -1
  let last = { done: 0, total: 0 }
  const rate = () => last.done / MIB / Math.max((performance.now() - started) / 1000, 1e-3)
  const line = () => {
    const share = last.total === 0 ? 1 : last.done / last.total
    const filled = Math.round(share * WIDTH)
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(last.done / MIB).toFixed(0)}/${(last.total / MIB).toFixed(0)} MiB  ${rate().toFixed(1)} MiB/s`
  }
  return {
    update(done, total) {
      last = { done, total }
      if (stream.isTTY) stream.write(`\r${line()}`)
      else {
        const tenth = total === 0 ? 10 : Math.floor((10 * done) / total)
        if (tenth !== lastTenth) stream.write(`${line()}\n`)
        lastTenth = tenth
      }
    },
    finish() {
      if (stream.isTTY) stream.write('\n')
      return rate()
    },
  }
}
