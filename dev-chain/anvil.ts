/**
 * A local chain that survives restarts: anvil (from the @foundry-rs/anvil npm package)
 * with --state, which loads the file on start and writes it on exit and every few
 * seconds. The in-process Hardhat network has no state dump, so this is the shared,
 * persistent chain for nodes and the CLI on one machine.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { LedgerUnreachableError, probeChainId } from '../protocol/ledger/index.ts'

export interface AnvilOptions {
  /** File the chain state is loaded from and saved to. */
  statePath: string
  /** @default 8545 */
  port?: number
  /** IPv4 address to serve JSON-RPC on; other hosts reach it only if it is not loopback. @default '127.0.0.1' */
  host?: string
  /** Seconds between state dumps while running, so a crash loses little. @default 5 */
  stateIntervalSeconds?: number
  /** @default 15000 */
  startTimeoutMs?: number
}

export interface RunningAnvil {
  url: string
  /** Stops anvil (SIGINT, so it writes its state) and waits for it to exit. */
  stop(): Promise<void>
  /** Resolves with the exit code when anvil exits for any reason. */
  exited: Promise<number | null>
}

const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': 'anvil-linux-amd64',
  'linux-arm64': 'anvil-linux-arm64',
  'darwin-x64': 'anvil-darwin-amd64',
  'darwin-arm64': 'anvil-darwin-arm64',
  'win32-x64': 'anvil-win32-amd64',
}

function anvilBinary(): string {
  const name = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`]
  if (name === undefined)
    throw new Error(`anvil has no build for ${process.platform}-${process.arch}`)
  const pkg = createRequire(import.meta.url).resolve(`@foundry-rs/${name}/package.json`)
  return join(dirname(pkg), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil')
}

async function answers(url: string): Promise<boolean> {
  return probeChainId(url, 1000).then(
    () => true,
    () => false,
  )
}

/**
 * Starts anvil (on 127.0.0.1 unless `host` says otherwise) and resolves once it answers JSON-RPC.
 * @example const anvil = await startAnvil({ statePath: 'chain/state.json', port: 8545 })
 */
export async function startAnvil(options: AnvilOptions): Promise<RunningAnvil> {
  const port = options.port ?? 8545
  const host = options.host ?? '127.0.0.1'
  const url = `http://${host}:${port}`
  const args = ['--host', host, '--port', String(port), '--state', options.statePath]
  args.push('--state-interval', String(options.stateIntervalSeconds ?? 5), '--silent')
  const child: ChildProcess = spawn(anvilBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', chunk => {
    stderr += chunk
  })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  let running = true
  exited.then(() => {
    running = false
  })
  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000)
  while (!(await answers(url))) {
    if (!running)
      throw new LedgerUnreachableError(
        url,
        `anvil exited while starting: ${stderr.trim() || 'no output'}`,
      )
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new LedgerUnreachableError(url, 'anvil did not start in time')
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return {
    url,
    exited,
    async stop() {
      if (running) child.kill('SIGINT')
      await exited
    },
  }
}
