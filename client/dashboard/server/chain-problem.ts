/**
 * Turning a failure to read the chain into what the page says, and the HTTP status that
 * carries it: the dashboard never shows a blank screen for a bad endpoint or project.
 * @module
 */
import type { ChainProblem } from '../api-types.ts'

const HTTP_STATUS: Record<ChainProblem['code'], number> = {
  'no-deployment': 503,
  'rpc-unreachable': 503,
  'contracts-missing': 503,
  'unknown-project': 404,
  'bad-request': 400,
  'chain-error': 502,
}

export function httpStatusOf(problem: ChainProblem): number {
  return HTTP_STATUS[problem.code]
}

/** ethers' codes for a request that got no answer. */
const NO_ANSWER = new Set(['TIMEOUT', 'SERVER_ERROR', 'NETWORK_ERROR'])

/** Whether the endpoint itself failed (so the connection should be opened again). */
export function isConnectionFailure(err: unknown): boolean {
  const { name, code } = err as { name?: string; code?: string }
  return name === 'LedgerUnreachableError' || (code !== undefined && NO_ANSWER.has(code))
}

export function chainProblemOf(err: unknown, where: string): ChainProblem {
  const { name, message } = err as Error
  if (name === 'NoChainError') return { code: 'no-deployment', message }
  if (name === 'LedgerNotDeployedError') return { code: 'contracts-missing', message }
  if (name === 'UnknownProjectError') return { code: 'unknown-project', message }
  if (name === 'LedgerUnreachableError')
    return { code: 'rpc-unreachable', message: `${message}. The page retries by itself.` }
  if (isConnectionFailure(err))
    return {
      code: 'rpc-unreachable',
      message: `The chain at ${where} stopped answering (${(err as { shortMessage?: string }).shortMessage ?? message}). The page retries by itself.`,
    }
  return {
    code: 'chain-error',
    message: `Reading the chain at ${where} failed: ${name}: ${message}`,
  }
}
