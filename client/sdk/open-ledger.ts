/**
 * Finding the chain: a deployment file (by default the one `sealnet chain start` writes
 * under <home>/chain/) and its RPC URL, or --rpc and --deployment given explicitly.
 * @module
 */
import { join } from 'node:path'
import type { Signer } from 'ethers'
import { type Chain, connectRpc, Ledger, readDeployment } from '../../protocol/ledger/index.ts'
import { pathExists } from './atomic-file.ts'
import { NoChainError } from './errors.ts'

export interface LedgerLocation {
  home: string
  rpc?: string
  deployment?: string
}

/** Where `sealnet chain start` keeps the deployment file and the chain state. */
export function chainFolder(home: string): string {
  return join(home, 'chain')
}

export function deploymentPath(location: LedgerLocation): string {
  return location.deployment ?? join(chainFolder(location.home), 'deployment.json')
}

/** Whether a chain is configured here: its deployment file exists. */
export function hasDeployment(location: LedgerLocation): Promise<boolean> {
  return pathExists(deploymentPath(location))
}

/**
 * Connects to the ledger; read-only unless `signer` picks an account of the endpoint.
 * @example const { ledger, close } = await openLedger({ home }); … await close()
 */
export async function openLedger(
  location: LedgerLocation,
  signer?: (chain: Chain) => Promise<Signer>,
): Promise<{ ledger: Ledger; chain: Chain; close(): Promise<void> }> {
  const path = deploymentPath(location)
  if (!(await hasDeployment(location))) {
    throw new NoChainError(
      `No chain deployment at ${path}: start a local chain with "sealnet chain start", or pass --rpc URL and --deployment FILE`,
    )
  }
  const deployment = await readDeployment(path)
  const url = location.rpc ?? deployment.rpcUrl
  if (url === undefined) throw new NoChainError(`${path} names no RPC endpoint: pass --rpc URL`)
  const chain = await connectRpc(url)
  try {
    const ledger = await Ledger.connect(signer ? await signer(chain) : chain.provider, deployment)
    return { ledger, chain, close: () => chain.close() }
  } catch (err) {
    await chain.close()
    throw err
  }
}
