/** Vitest global setup: tests run against freshly compiled contracts. */
import { execFileSync } from 'node:child_process'

export default function buildContracts(): void {
  const hardhat = new URL('../node_modules/hardhat/dist/src/cli.js', import.meta.url).pathname
  execFileSync(process.execPath, [hardhat, 'build', '--quiet'], {
    stdio: 'inherit',
    cwd: new URL('..', import.meta.url).pathname,
  })
}
