/**
 * A node's way onto the chain: its own EVM account (derived from its master key, see
 * evm-account.ts) on the endpoint its config names, and the checks `sealnet node start`
 * makes before serving: the identity is registered, as a node, with this key and peer id.
 * @module
 */

import type { KeyObject } from 'node:crypto'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import {
  type Chain,
  connectRpc,
  Ledger,
  ownWallet,
  readDeployment,
} from '../protocol/ledger/index.ts'
import { SealnetError } from '../protocol/sealnet-error.ts'
import type { NodeConfig } from './config/index.ts'
import { KeyVault } from './key-vault/index.ts'
import { loadOrCreatePeerKey } from './sealnet-node.ts'

export class NodeNotRegisteredError extends SealnetError {
  readonly code = 'node-not-registered'
  constructor(identity: string, problem: string) {
    super(`node ${identity} ${problem}; run "sealnet node init" for this node first`)
  }
}

/** The ledger as the node's own account; with `fund`, a dev chain tops the account up. */
export async function connectNodeLedger(
  config: Pick<NodeConfig, 'deployment' | 'rpc'>,
  privateKey: KeyObject,
  options: { fund?: boolean } = {},
): Promise<{ ledger: Ledger; chain: Chain; address: string }> {
  const deployment = await readDeployment(config.deployment)
  const url = config.rpc ?? deployment.rpcUrl
  if (url === undefined)
    throw new Error(`${config.deployment} names no RPC endpoint: set "rpc" in the node config`)
  const chain = await connectRpc(url)
  try {
    const wallet = await ownWallet(chain, privateKey, options)
    return { ledger: await Ledger.connect(wallet, deployment), chain, address: wallet.address }
  } catch (err) {
    await chain.close()
    throw err
  }
}

/** The node's libp2p peer id, creating its peer key (sealed in the vault) the first time. */
export async function nodePeerId(dataDir: string, privateKey: KeyObject): Promise<string> {
  const vault = new KeyVault({ path: `${dataDir}/vault`, privateKey })
  await vault.start()
  try {
    return peerIdFromPrivateKey(await loadOrCreatePeerKey(vault)).toString()
  } finally {
    await vault.stop()
  }
}

/** Throws NodeNotRegisteredError unless the ledger has this node with this key and peer id. */
export async function checkNodeRegistration(
  ledger: Ledger,
  identity: string,
  fingerprint: string,
  peerId: string,
): Promise<void> {
  const found = await ledger.identity(identity)
  if (!found) throw new NodeNotRegisteredError(identity, 'is not registered on the ledger')
  if (found.kind !== 'node')
    throw new NodeNotRegisteredError(identity, 'is registered as a user, not a node')
  if (found.fingerprint !== fingerprint)
    throw new NodeNotRegisteredError(
      identity,
      `is registered with another key (${found.fingerprint.slice(0, 16)}…)`,
    )
  if (found.peerId !== peerId)
    throw new NodeNotRegisteredError(
      identity,
      `is registered with peer id ${found.peerId}, not ${peerId}`,
    )
}
