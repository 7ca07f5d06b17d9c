import { mkdir } from 'node:fs/promises'
import { isIPv4 } from 'node:net'
import { join } from 'node:path'
import { Command } from 'commander'
import { deployJobVerifiersIfBuilt, deployLedger, startAnvil } from '../../../dev-chain/index.ts'
import {
  connectRpc,
  Ledger,
  LedgerNotDeployedError,
  readDeployment,
} from '../../../protocol/ledger/index.ts'
import { chainFolder, deploymentPath, pathExists, writeFileAtomic } from '../../sdk/index.ts'
import { type GlobalOptions, print, sealnetHome, UsageError } from '../io.ts'

/**
 * The deployment in `path` if its contracts are on this chain; undefined when there is no
 * file or its contracts are not on this chain (then a fresh deployment replaces it). A
 * malformed file or any other failure is reported, never silently overwritten.
 */
async function existingDeployment(path: string, provider: Parameters<typeof Ledger.connect>[0]) {
  let deployment: Awaited<ReturnType<typeof readDeployment>>
  try {
    deployment = await readDeployment(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    await Ledger.connect(provider, deployment)
    return deployment
  } catch (err) {
    if (!(err instanceof LedgerNotDeployedError)) throw err
    process.stderr.write(
      `${path} names contracts this chain does not have: deploying afresh and replacing it\n`,
    )
    return undefined
  }
}

export function chainStartCommand(): Command {
  return new Command('start')
    .description(
      'Run a local chain that keeps its state across restarts (anvil), with the Sealnet contracts deployed once',
    )
    .option('--port <port>', 'JSON-RPC port', '8545')
    .option(
      '--host <address>',
      'IPv4 address to serve JSON-RPC on (the default serves this machine only; give an interface address for nodes on other hosts)',
      '127.0.0.1',
    )
    .option('--state <file>', 'chain state file (default: <home>/chain/state.json)')
    .action(async (opts: { port: string; host: string; state?: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const port = Number(opts.port)
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new UsageError(`--port must be 1..65535; got ${opts.port}`)
      if (!isIPv4(opts.host))
        throw new UsageError(`--host must be an IPv4 address; got ${opts.host}`)
      const home = sealnetHome(global)
      await mkdir(chainFolder(home), { recursive: true, mode: 0o700 })
      const statePath = opts.state ?? join(chainFolder(home), 'state.json')
      const path = deploymentPath({ home, deployment: global.deployment })
      const resumed = await pathExists(statePath)
      process.stderr.write(
        `starting anvil on ${opts.host}:${port} (${resumed ? 'resuming' : 'new'} state ${statePath}) …\n`,
      )
      const anvil = await startAnvil({ statePath, port, host: opts.host })
      const chain = await connectRpc(anvil.url)
      try {
        let deployment = await existingDeployment(path, chain.provider)
        const deployed = deployment === undefined
        if (deployment === undefined) {
          process.stderr.write('deploying the Sealnet contracts …\n')
          const deployer = await chain.provider.getSigner(0)
          const verifier = await deployJobVerifiersIfBuilt(deployer)
          if (verifier === undefined) {
            process.stderr.write(
              'circuits not built: no job can complete on this chain (run "npm run setup:circuits" before the first start)\n',
            )
          }
          deployment = { ...(await deployLedger(deployer, { verifier })), rpcUrl: anvil.url }
          await writeFileAtomic(path, `${JSON.stringify(deployment, null, 2)}\n`)
        }
        print(
          global,
          { rpcUrl: anvil.url, deployment: path, statePath, deployed, contracts: deployment },
          [
            `chain ready at ${anvil.url} (chain id ${deployment.chainId})`,
            `contracts ${deployed ? 'deployed' : 'already deployed'}: identities ${deployment.identities}, projects ${deployment.projects}`,
            `job proofs ${BigInt(deployment.verifier) === 0n ? 'NOT checked (circuits were not built)' : `checked by ${deployment.verifier}`}`,
            `deployment file ${path}; state ${statePath}`,
            'press Ctrl-C to stop (the state is saved)',
          ],
        )
        await new Promise<void>(resolve => {
          process.once('SIGINT', () => resolve())
          process.once('SIGTERM', () => resolve())
          anvil.exited.then(() => resolve())
        })
      } finally {
        await chain.close()
        await anvil.stop()
      }
      process.stderr.write(`chain stopped; state saved to ${statePath}\n`)
    })
}
