import { describe, expect, it } from 'vitest'
import { RequestBudget } from './request-budget.ts'

const busy = expect.objectContaining({ name: 'RequestRefusedError', code: 'busy' })

describe('RequestBudget', () => {
  it("refuses a request past its peer's share, and admits it again once one is released", () => {
    const budget = new RequestBudget({ perPeerBytes: 100, perIpBytes: 1000, perPeerRequests: 3 })
    const first = budget.admit('p1', '10.0.0.1', 60)
    expect(() => budget.admit('p1', '10.0.0.1', 50)).toThrow(busy)
    // another peer on the same IP has its own share
    const other = budget.admit('p2', '10.0.0.1', 90)
    expect(budget.inFlightBytes()).toBe(150)
    first()
    first() // released once only
    budget.admit('p1', '10.0.0.1', 50)
    other()
    expect(budget.inFlightBytes()).toBe(50)
  })

  it("refuses past its IP's share, whatever number of peer ids the IP uses", () => {
    const budget = new RequestBudget({ perPeerBytes: 100, perIpBytes: 250, perPeerRequests: 10 })
    for (let i = 0; i < 5; i++) budget.admit(`peer-${i}`, '10.0.0.9', 50)
    expect(() => budget.admit('peer-6', '10.0.0.9', 50)).toThrow(busy)
    expect(() => budget.admit('peer-6', '10.0.0.10', 50)).not.toThrow()
  })

  it('caps the requests one peer has in flight', () => {
    const budget = new RequestBudget({ perPeerBytes: 1000, perIpBytes: 1000, perPeerRequests: 2 })
    budget.admit('p', 'ip', 1)
    budget.admit('p', 'ip', 1)
    expect(() => budget.admit('p', 'ip', 1)).toThrow(busy)
  })
})
