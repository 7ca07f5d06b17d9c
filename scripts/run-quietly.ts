/** Runs a build tool with its output held back; on failure the output is shown, since tools (snarkjs, bb) say why there. */
import { execFileSync } from 'node:child_process'

const ROOT = new URL('..', import.meta.url).pathname

/** Runs `program` with `args` in the repository root; throws naming `what` if it fails. */
export function runQuietly(program: string, args: string[], what: string): void {
  try {
    execFileSync(program, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer }
    process.stderr.write(`${stdout ?? ''}${stderr ?? ''}`)
    throw new Error(`${what} failed (output above)`)
  }
}
