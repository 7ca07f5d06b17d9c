/** Runs the sealnet CLI (bin/sealnet.js) as a subprocess, as a user would. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)
const BIN = new URL('../bin/sealnet.js', import.meta.url).pathname

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `sealnet ARGS` with only PATH (plus `env`) in its environment, `input` on stdin. */
export async function runSealnet(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<CliResult> {
  const child = run(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, ...options.env },
  })
  if (options.input !== undefined) child.child.stdin?.end(options.input)
  try {
    const { stdout, stderr } = await child
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as CliResult
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}
