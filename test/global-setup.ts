/**
 * Vitest global setup: tests run against freshly built circuits, contracts and dashboard
 * page. Circuits and contracts are cached (a no-op when no source changed); the page
 * builds in about a second.
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
  execFileSync(
    process.execPath,
    [
      `${ROOT}node_modules/vite/bin/vite.js`,
      'build',
      '--config',
      `${ROOT}client/dashboard/vite.config.ts`,
    ],
    { stdio: 'inherit', cwd: ROOT },
  )
}
