/**
 * The default chain for one machine: an in-process Hardhat (EDR) network, fresh state and
 * funded test accounts, so one command runs everything.
 * @module
 */
import { BrowserProvider, type Eip1193Provider } from 'ethers'
import { type Chain, PROVIDER_OPTIONS } from '../protocol/ledger/index.ts'

/**
 * Starts an in-process Hardhat network (fresh state, funded test accounts).
 * @example const chain = await startInProcessChain(); const signer = await chain.provider.getSigner(0)
 */
export async function startInProcessChain(): Promise<Chain> {
  const { network } = await import('hardhat')
  const connection = await network.create()
  const provider = new BrowserProvider(
    connection.provider as unknown as Eip1193Provider,
    undefined,
    PROVIDER_OPTIONS,
  )
  return { provider, close: () => connection.close() }
}
