/**
 * Where the ledger runs: any EVM JSON-RPC endpoint, or a provider a dev chain hands over
 * (dev-chain/ starts the in-process Hardhat network and anvil).
 * @module
 */
import { type BrowserProvider, FetchRequest, JsonRpcProvider } from 'ethers'
import { LedgerUnreachableError } from './errors.ts'

export interface Chain {
  provider: JsonRpcProvider | BrowserProvider
  /** Stops an in-process network; a no-op for a remote endpoint. */
  close(): Promise<void>
}

/** ethers' 250 ms cache returned stale block numbers right after transactions: no cache. */
export const PROVIDER_OPTIONS = { cacheTimeout: -1 } as const

/**
 * The chain id an endpoint reports, by one plain JSON-RPC request (no provider, so
 * nothing retries or logs in the background). Throws LedgerUnreachableError.
 */
export async function probeChainId(url: string, timeoutMs = 5000): Promise<bigint> {
  let body: { result?: string; error?: { message?: string } }
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    })
    body = (await response.json()) as typeof body
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message
    throw new LedgerUnreachableError(url, cause)
  }
  if (typeof body.result !== 'string')
    throw new LedgerUnreachableError(url, body.error?.message ?? 'not a JSON-RPC endpoint')
  return BigInt(body.result)
}

/**
 * Connects to a JSON-RPC endpoint and checks it answers within `timeoutMs`, so a wrong
 * URL is a LedgerUnreachableError instead of a hang.
 */
export async function connectRpc(url: string, timeoutMs = 5000): Promise<Chain> {
  const chainId = await probeChainId(url, timeoutMs)
  const request = new FetchRequest(url)
  request.timeout = timeoutMs
  const provider = new JsonRpcProvider(request, chainId, {
    ...PROVIDER_OPTIONS,
    staticNetwork: true,
  })
  return { provider, close: async () => provider.destroy() }
}
