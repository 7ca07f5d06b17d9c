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

/** The program and arguments that run `sealnet ARGS`, inside network namespace `netns` if given. */
export function sealnetCommand(args: string[], netns?: string): [string, string[]] {
  const node = [process.execPath, BIN, ...args]
  return netns ? ['/usr/sbin/ip', ['netns', 'exec', netns, ...node]] : [node[0]!, node.slice(1)]
}

/**
 * Runs `sealnet ARGS` with only PATH (plus `env`) in its environment, `input` on stdin,
 * inside network namespace `netns` if given.
 */
export async function runSealnet(
  args: string[],
  options: { env?: Record<string, string>; input?: string; netns?: string } = {},
): Promise<CliResult> {
  const [file, argv] = sealnetCommand(args, options.netns)
  const child = run(file, argv, {
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
