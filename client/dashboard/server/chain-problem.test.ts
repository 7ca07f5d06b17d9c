import { describe, expect, it } from 'vitest'
import { chainProblemOf, httpStatusOf } from './chain-problem.ts'

describe('chainProblemOf', () => {
  const named = (name: string, message = 'm') => Object.assign(new Error(message), { name })

  it('maps each failure to the message code and HTTP status the page shows', () => {
    const cases = [
      [named('NoChainError'), 'no-deployment', 503],
      [named('LedgerUnreachableError'), 'rpc-unreachable', 503],
      [Object.assign(new Error('x'), { code: 'TIMEOUT' }), 'rpc-unreachable', 503],
      [named('LedgerNotDeployedError'), 'contracts-missing', 503],
      [named('UnknownProjectError'), 'unknown-project', 404],
      [new TypeError('boom'), 'chain-error', 502],
    ] as const
    for (const [err, code, status] of cases) {
      const problem = chainProblemOf(err, 'http://127.0.0.1:1')
      expect([problem.code, httpStatusOf(problem)]).toEqual([code, status])
    }
    expect(chainProblemOf(new TypeError('boom'), 'http://x').message).toBe(
      'Reading the chain at http://x failed: TypeError: boom',
    )
  })
})
