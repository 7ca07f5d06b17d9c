import { Command } from 'commander'
import { readDeployment } from '../../../protocol/ledger/index.ts'
import { AuditServer } from '../../dashboard/server/audit-server.ts'
import { deploymentPath, openLedger } from '../../sdk/index.ts'
import { type GlobalOptions, print, sealnetHome, UsageError } from '../io.ts'

export function auditServeCommand(): Command {
  return new Command('serve')
    .description(
      'Serve a read-only dashboard of the on-chain log on 127.0.0.1: projects, nodes, timelines, jobs with proof checks, access counts, reports (needs no key or password)',
    )
    .option('--port <port>', 'HTTP port on 127.0.0.1 (0 picks a free one)', '7470')
    .action(async (opts: { port: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const port = Number(opts.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be 0..65535; got ${opts.port}`)
      const location = { home: sealnetHome(global), rpc: global.rpc, deployment: global.deployment }
      const server = new AuditServer({
        open: () => openLedger(location),
        where:
          global.rpc ??
          (await readDeployment(deploymentPath(location)).then(
            d => d.rpcUrl,
            () => undefined,
          )) ??
          'the endpoint of the deployment file',
        port,
      })
      await server.start()
      try {
        const status = await server.chainStatus()
        print(global, { url: server.url, chain: status }, [
          `dashboard at ${server.url} (read-only: it asks for no key or password)`,
          status.ok
            ? `chain ${status.chainId} at block ${status.block}`
            : `the chain can't be read yet: ${status.problem?.message}`,
          'press Ctrl-C to stop',
        ])
        await new Promise<void>(resolve => {
          process.once('SIGINT', () => resolve())
          process.once('SIGTERM', () => resolve())
        })
      } finally {
        await server.stop()
      }
    })
}
