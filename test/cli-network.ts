/**
 * A Sealnet network made of real processes, driven through the CLI as users and operators
 * do: `sealnet chain start` (anvil), nodes (`node init` + `node start`), and `as(who, …)`
 * to run any command as a user with a home of its own.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Running, startSealnet, stopSealnet } from './cli-processes.ts'
import { freePort } from './free-port.ts'
import type { NetnsLab } from './netns-lab.ts'
import { type CliResult, runSealnet } from './run-sealnet.ts'

/** 2048-bit keys: the CLI re-derives a user's key on every command. */
export const USER_BITS = ['--bits', '2048']

export interface CliNode {
  name: string
  /** Its libp2p address, with /p2p/ id. */
  addr: string
  running: Running
  /** Starts it again (after kill or stop), on the same port and data. */
  restart(): Promise<void>
}

export interface CliNetwork {
  root: string
  deployment: string
  chainPort: number
  chain: Running
  nodes: CliNode[]
  /** Runs `sealnet ARGS` as `who`: password "<who> password", joined through any node up. */
  as(who: string, args: string[], env?: Record<string, string>): Promise<CliResult>
  /** Starts `sealnet ARGS` as `who`, as `as` does, and resolves once `ready` is printed. */
  startAs(who: string, args: string[], ready: string): Promise<Running>
  /** Starts the chain again on its port and state (after it was stopped). */
  restartChain(): Promise<void>
  stop(): Promise<void>
}

const DEBUG = process.env.CLI_NETWORK_DEBUG

/**
 * Starts the chain and `nodeNames` on loopback, or with `lab` each in its own network
 * namespace: the lab's hosts named `chain`, each node's name and each user's.
 */
export async function startCliNetwork(
  nodeNames: string[],
  prefix: string,
  lab?: NetnsLab,
): Promise<CliNetwork> {
  const root = await mkdtemp(join(tmpdir(), `sealnet-${prefix}-`))
  const host = (name: string) => {
    const found = lab?.hosts[name]
    if (lab && !found) throw new Error(`the netns lab has no host ${name}`)
    return found
  }
  /** An address of `name` to listen on: its lab address, or a free loopback port. */
  const listenOn = async (name: string) => {
    const labHost = host(name)
    return labHost
      ? { address: labHost.address, port: 4001 }
      : { address: '127.0.0.1', port: await freePort() }
  }
  const chainAt = await listenOn('chain')
  const chainPort = chainAt.port
  const startChain = () =>
    startSealnet(
      [
        ...['--home', join(root, 'chain'), 'chain', 'start'],
        ...['--host', chainAt.address, '--port', String(chainPort)],
      ],
      'press Ctrl-C',
      {},
      host('chain')?.netns,
    )
  const userArgs = (who: string, args: string[]) => [
    '--home',
    join(root, who),
    '--deployment',
    network.deployment,
    ...args,
  ]
  const userEnv = (who: string) => ({
    // strong enough for key init (10^10 guesses), and each person's own
    SEALNET_PASSWORD: `${who} kettle marches under quiet lamps`,
    // every node, as a careful user would: any one of them up is enough to join
    SEALNET_PEERS: network.nodes.map(n => n.addr).join(' '),
  })
  const network: CliNetwork = {
    root,
    deployment: join(root, 'chain', 'chain', 'deployment.json'),
    chainPort,
    chain: await startChain(),
    nodes: [],
    as: async (who, args, env = {}) => {
      const started = Date.now()
      const r = await runSealnet(userArgs(who, args), {
        env: { ...userEnv(who), ...env },
        netns: host(who)?.netns,
      })
      if (DEBUG) console.log(who, args.join(' '), r.code, Date.now() - started, 'ms\n', r.stderr)
      return r
    },
    startAs: (who, args, ready) =>
      startSealnet(userArgs(who, args), ready, userEnv(who), host(who)?.netns),
    restartChain: async () => {
      network.chain = await startChain()
    },
    stop: async () => {
      for (const node of network.nodes) await stopSealnet(node.running)
      await stopSealnet(network.chain)
      if (DEBUG)
        for (const node of network.nodes)
          await writeFile(join(root, `${node.name}.log`), node.running.stdout + node.running.stderr)
    },
  }
  for (const name of nodeNames) {
    const env = { SEALNET_NODE_SECRET: `${name} secret` }
    const home = ['--home', join(root, name)]
    const init = await runSealnet(
      [
        ...home,
        '--deployment',
        network.deployment,
        'node',
        'init',
        '--identity',
        name,
        ...USER_BITS,
        '--listen',
        await listenOn(name).then(({ address, port }) => `/ip4/${address}/tcp/${port}`),
        '--metrics-port',
        '0',
        // these networks serve whoever the test makes owner
        '--accept-any-owner',
        ...(network.nodes[0] ? ['--bootstrap', network.nodes[0].addr] : []),
      ],
      { env, netns: host(name)?.netns },
    )
    if (init.code !== 0) throw new Error(`node init ${name} failed: ${init.stderr}`)
    const start = () =>
      startSealnet(
        [...home, 'node', 'start', ...(DEBUG ? ['--log-level', 'debug'] : [])],
        'press Ctrl-C',
        env,
        host(name)?.netns,
      )
    const running = await start()
    const node: CliNode = {
      name,
      addr: /listening\s+(\S+)/.exec(running.stderr)![1]!,
      running,
      restart: async () => {
        node.running = await start()
      },
    }
    network.nodes.push(node)
  }
  return network
}
