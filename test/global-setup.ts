/**
 * Vitest global setup: tests run against freshly built circuits and contracts. Both
 * steps are cached: a no-op when no source changed.
 */
import { execFileSync } from 'node:child_process'

const ROOT = new URL('..', import.meta.url).pathname

export default function setup(): void {
  execFileSync(process.execPath, [`${ROOT}scripts/setup-circuits.ts`], {
    stdio: 'inherit',
    cwd: ROOT,
  })
  execFileSync(
    process.execPath,
    [`${ROOT}node_modules/hardhat/dist/src/cli.js`, 'build', '--quiet'],
    { stdio: 'inherit', cwd: ROOT },
  )
}
