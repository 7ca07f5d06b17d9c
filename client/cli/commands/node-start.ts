import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { Command, Option } from 'commander'
import { openMasterKey } from '../../../protocol/crypto/index.ts'
import { DEFAULT_VERIFIER_SIZES } from '../../../protocol/ledger/index.ts'
import { type GlobalOptions, readSecret, sealnetHome } from '../io.ts'
import { defaultNodeConfigPath, NODE_SECRET } from './node-paths.ts'

interface NodeStartOptions {
  config?: string
  secretFile?: string
  logLevel: string
  debug?: boolean
}

export function nodeStartCommand(): Command {
  return new Command('start')
    .description('Run the node until SIGINT or SIGTERM: JSON logs on stdout, status on stderr')
    .option('--config <file>', 'node config (default: <home>/node/config.json)')
    .option(
      '--secret-file <file>',
      'read the node secret from the first line of a file (else $SEALNET_NODE_SECRET, else a prompt)',
    )
    .addOption(
      new Option('--log-level <level>', 'least severe log level written')
        .choices(['trace', 'debug', 'info', 'warn', 'error', 'silent'])
        .default('info'),
    )
    .option(
      '--debug',
      'debug mode: logs request details; changes the measurement, so allowlists refuse it',
    )
    .action(async (opts: NodeStartOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const configPath = resolve(opts.config ?? defaultNodeConfigPath(sealnetHome(global)))
      const { readNodeConfig } = await import('../../../node/config/index.ts')
      const config = await readNodeConfig(configPath)
      const secret = await readSecret({ file: opts.secretFile, ...NODE_SECRET })
      const key = await openMasterKey(secret, config.record)
      const { connectNodeLedger, nodePeerId, checkNodeRegistration } = await import(
        '../../../node/node-ledger.ts'
      )
      const { SealnetNode } = await import('../../../node/sealnet-node.ts')
      const { pino } = await import('pino')
      const peerId = await nodePeerId(config.dataDir, key.privateKey)
      const { ledger, chain } = await connectNodeLedger(
        { ...config, rpc: global.rpc ?? config.rpc },
        key.privateKey,
      )
      try {
        await checkNodeRegistration(ledger, config.identity, key.fingerprint, peerId)
        const psk = config.swarmKeyFile ? await readFile(config.swarmKeyFile) : undefined
        const node = new SealnetNode({
          key,
          dataDir: config.dataDir,
          ledger,
          listen: config.listen,
          bootstrap: config.bootstrap,
          mdns: config.mdns,
          psk,
          quotaBytes: config.quotaBytes,
          projectQuotaBytes: config.projectQuotaBytes,
          acceptOwners: config.acceptOwners,
          metricsPort: config.metricsPort,
          debug: opts.debug === true,
          // the chunk size `sealnet chain start` deploys verifiers for
          jobs: DEFAULT_VERIFIER_SIZES,
          logger: pino({ level: opts.debug ? 'debug' : opts.logLevel }),
        })
        await node.start()
        process.stderr.write(
          [
            `node ${config.identity} ready`,
            `peer id     ${node.peerId}`,
            ...node.multiaddrs.map(addr => `listening   ${addr}`),
            `measurement ${node.measurement}`,
            config.acceptOwners
              ? `serves      projects owned by ${config.acceptOwners.join(', ')}`
              : 'serves      every project that grants it a key (limit it: node init --accept-owner)',
            ...(node.metricsUrl
              ? [`metrics     ${node.metricsUrl}/metrics  health ${node.metricsUrl}/health`]
              : []),
            'press Ctrl-C to stop',
            '',
          ].join('\n'),
        )
        await new Promise<void>(done => {
          process.once('SIGINT', () => done())
          process.once('SIGTERM', () => done())
        })
        process.stderr.write('stopping: flushing access records, closing stores …\n')
        await node.stop()
        // the prover's worker threads would keep the process alive
        const { releaseProverThreads } = await import('../../../protocol/proof/index.ts')
        await releaseProverThreads()
        process.stderr.write(`node ${config.identity} stopped\n`)
      } finally {
        await chain.close()
      }
    })
}
