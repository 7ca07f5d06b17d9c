/** Long-running sealnet commands (chain start, node start) as child processes. */
import { type ChildProcess, spawn } from 'node:child_process'
import { sealnetCommand } from './run-sealnet.ts'

export interface Running {
  child: ChildProcess
  stdout: string
  stderr: string
}

/**
 * Spawns `sealnet ARGS` (inside network namespace `netns` if given) and resolves once
 * `ready` appears on stdout or stderr.
 */
export function startSealnet(
  args: string[],
  ready: string,
  env: Record<string, string> = {},
  netns?: string,
): Promise<Running> {
  const [file, argv] = sealnetCommand(args, netns)
  const child = spawn(file, argv, { env: { PATH: process.env.PATH, ...env } })
  const running: Running = { child, stdout: '', stderr: '' }
  return new Promise((resolve, reject) => {
    const check = () => {
      if (running.stdout.includes(ready) || running.stderr.includes(ready)) resolve(running)
    }
    child.stdout.on('data', chunk => {
      running.stdout += chunk
      check()
    })
    child.stderr.on('data', chunk => {
      running.stderr += chunk
      check()
    })
    child.once('exit', code =>
      reject(
        new Error(
          `sealnet ${args.join(' ')} exited with ${code} before "${ready}": ${running.stderr}`,
        ),
      ),
    )
  })
}

/** Resolves with the exit code once the process has ended (at once if it has). */
export function exited(running: Running): Promise<number | null> {
  const { child } = running
  // a process killed by a signal has no exit code, only a signal code
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise(resolve => child.once('exit', code => resolve(code)))
}

/** Sends `signal` and resolves with the exit code. */
export function stopSealnet(
  running: Running,
  signal: NodeJS.Signals = 'SIGINT',
): Promise<number | null> {
  const done = exited(running)
  if (running.child.exitCode === null && running.child.signalCode === null)
    running.child.kill(signal)
  return done
}
