import { access, mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { Command, Option } from 'commander'
import {
  createMasterKeyRecord,
  DEFAULT_MASTER_KEY_PARAMS,
  deriveMasterKey,
  MASTER_KEY_SIZES,
  type MasterKeySize,
} from '../../../protocol/crypto/index.ts'
import { deploymentPath, refuseExisting, writeFileAtomic } from '../../sdk/index.ts'
import { type GlobalOptions, print, readSecret, sealnetHome, UsageError } from '../io.ts'
import { defaultNodeConfigPath, NODE_SECRET } from './node-paths.ts'

interface NodeInitOptions {
  identity: string
  secretFile?: string
  bits: string
  listen: string[]
  bootstrap: string[]
  mdns?: boolean
  swarmKey?: string
  quota?: string
  projectQuota?: string
  acceptOwner?: string[]
  acceptAnyOwner?: boolean
  metricsPort: string
  data?: string
  config?: string
}

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }

/** "500MiB", "10G", "1048576" → bytes. */
export function parseByteSize(text: string): number {
  const match = /^(\d+)\s*([kmgt]?)(i?b)?$/i.exec(text.trim())
  const bytes = match ? Number(match[1]) * UNITS[match[2]!.toLowerCase()]! : Number.NaN
  if (!Number.isSafeInteger(bytes) || bytes <= 0)
    throw new UsageError(`--quota must be a size such as 500MiB or 10GiB; got ${text}`)
  return bytes
}

function parsePort(text: string): number {
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--metrics-port must be 0..65535; got ${text}`)
  return port
}

export function nodeInitCommand(): Command {
  return new Command('init')
    .description(
      'Set up a node: derive its master key from the node secret, register it on the ledger with its peer id, write its config',
    )
    .requiredOption('-i, --identity <name>', 'the node identity, e.g. node-1.acme.example')
    .option(
      '--secret-file <file>',
      'read the node secret from the first line of a file (else $SEALNET_NODE_SECRET, else a prompt)',
    )
    .addOption(
      new Option('--bits <bits>', 'RSA key size')
        .choices(MASTER_KEY_SIZES.map(String))
        .default(String(DEFAULT_MASTER_KEY_PARAMS.bits)),
    )
    .option('--listen <addr...>', 'libp2p listen multiaddrs', ['/ip4/0.0.0.0/tcp/4100'])
    .option('--bootstrap <addr...>', 'multiaddrs (with /p2p/ id) of peers to join through', [])
    .option('--mdns', 'also find peers on the local network')
    .option('--swarm-key <file>', 'pre-shared swarm key: join a closed network of operators')
    .option('--quota <size>', 'most shard bytes this node stores, e.g. 50GiB (default: no limit)')
    .option(
      '--project-quota <size>',
      'most shard bytes any one project may use here, e.g. 5GiB (default: no limit)',
    )
    .option(
      '--accept-owner <identity...>',
      "serve only projects these identities own: the node's consent (this, or --accept-any-owner)",
    )
    .option(
      '--accept-any-owner',
      'serve every project that grants this node a key (anyone can create one and grant it)',
    )
    .option(
      '--metrics-port <port>',
      'localhost port of /metrics and /health (0: any free port)',
      '9464',
    )
    .option('--data <dir>', 'folder of the node databases (default: <home>/node/data)')
    .option('--config <file>', 'where to write the config (default: <home>/node/config.json)')
    .action(async (opts: NodeInitOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const home = sealnetHome(global)
      const configPath = resolve(opts.config ?? defaultNodeConfigPath(home))
      await refuseExisting(configPath)
      // the operator says which projects the node serves: there is no silent default
      if ((opts.acceptOwner === undefined) === (opts.acceptAnyOwner !== true))
        throw new UsageError(
          'say which projects this node serves: --accept-owner ID… (the project owners you serve) or --accept-any-owner (any project that grants it a key), one of the two',
        )
      const dataDir = resolve(opts.data ?? join(home, 'node', 'data'))
      const config = {
        version: 1,
        identity: opts.identity,
        dataDir,
        listen: opts.listen,
        bootstrap: opts.bootstrap,
        mdns: opts.mdns === true,
        ...(opts.swarmKey ? { swarmKeyFile: resolve(opts.swarmKey) } : {}),
        ...(opts.quota ? { quotaBytes: parseByteSize(opts.quota) } : {}),
        ...(opts.projectQuota ? { projectQuotaBytes: parseByteSize(opts.projectQuota) } : {}),
        ...(opts.acceptOwner ? { acceptOwners: opts.acceptOwner } : {}),
        metricsPort: parsePort(opts.metricsPort),
        deployment: resolve(deploymentPath({ home, deployment: global.deployment })),
        ...(global.rpc ? { rpc: global.rpc } : {}),
      }
      if (opts.swarmKey) await access(opts.swarmKey)
      const secret = await readSecret({ file: opts.secretFile, ...NODE_SECRET }, true)
      process.stderr.write(`deriving the master key of ${opts.identity} …\n`)
      const key = await deriveMasterKey(secret, opts.identity, {
        ...DEFAULT_MASTER_KEY_PARAMS,
        bits: Number(opts.bits) as MasterKeySize,
      })
      const record = createMasterKeyRecord(key)
      const { connectNodeLedger, nodePeerId, checkNodeRegistration } = await import(
        '../../../node/node-ledger.ts'
      )
      const { measureNode } = await import('../../../node/measurement/index.ts')
      const { SEALNET_ROOT } = await import('../../../node/sealnet-node.ts')
      await mkdir(dataDir, { recursive: true, mode: 0o700 })
      const peerId = await nodePeerId(dataDir, key.privateKey)
      const { ledger, chain, address } = await connectNodeLedger(config, key.privateKey, {
        fund: true,
      })
      let registered: boolean
      try {
        registered = (await ledger.identity(opts.identity)) === undefined
        if (registered) await ledger.registerIdentity('node', record, peerId)
        else await checkNodeRegistration(ledger, opts.identity, record.fingerprint, peerId)
      } finally {
        await chain.close()
      }
      const measurement = await measureNode(SEALNET_ROOT, {
        privateNetwork: opts.swarmKey !== undefined,
        debug: false,
      })
      await mkdir(dirname(configPath), { recursive: true, mode: 0o700 })
      await writeFileAtomic(configPath, `${JSON.stringify({ ...config, record }, null, 2)}\n`)
      print(
        global,
        {
          identity: opts.identity,
          peerId,
          account: address,
          fingerprint: record.fingerprint,
          measurement,
          config: configPath,
          registered,
        },
        [
          `node ${opts.identity} ${registered ? 'registered on the ledger' : 'was already registered (same key and peer id)'}`,
          `peer id     ${peerId}`,
          `account     ${address}`,
          `fingerprint ${record.fingerprint}`,
          `measurement ${measurement} (project admins allow it with their allowlist)`,
          `config      ${configPath}`,
          'start it with: sealnet node start',
        ],
      )
    })
}
