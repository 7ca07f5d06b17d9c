/**
 * How the demo shows its progress: a section heading, then one line a step (redrawn when
 * done on a terminal; one line each in a log). A step that fails ends the demo with its
 * error's name and message; the demo exits 0 only when every step checked out.
 * @module
 */
import { createHash } from 'node:crypto'

/** What every section gets: the demo's folder and its command-line options. */
export interface DemoBase {
  home: string
  options: { home?: string; dashboard: boolean; port: string }
}

const interactive = process.stdout.isTTY === true
const clear = interactive ? '\r\x1b[2K' : ''
let steps = 0

/** Steps that checked out so far. */
export const stepsDone = () => steps

export function section(title: string): void {
  process.stdout.write(`\n== ${title}\n`)
}

export async function step<T>(
  title: string,
  work: () => Promise<T> | T,
  detail?: (result: T) => string,
): Promise<T> {
  const t0 = performance.now()
  if (interactive) process.stdout.write(`  … ${title}`)
  try {
    const result = await work()
    const seconds = ((performance.now() - t0) / 1000).toFixed(2)
    process.stdout.write(
      `${clear}  ✓ ${title} (${seconds} s)${detail ? `: ${detail(result)}` : ''}\n`,
    )
    steps++
    return result
  } catch (err) {
    process.stdout.write(
      `${clear}  ✗ ${title}\n    ${(err as Error).name}: ${(err as Error).message}\n`,
    )
    process.exit(1)
  }
}

/** A step that passes only if `work` throws the named error. */
export function refused(
  title: string,
  errorName: string,
  work: () => Promise<unknown>,
): Promise<string> {
  return step(
    title,
    async () => {
      try {
        await work()
      } catch (err) {
        if ((err as Error).name === errorName) return `${errorName}: ${(err as Error).message}`
        throw err
      }
      throw new Error(`expected ${errorName}, but it succeeded`)
    },
    why => `refused with ${why}`,
  )
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
