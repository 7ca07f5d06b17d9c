import { describe, expect, it } from 'vitest'
import { RateLimit } from './rate-limit.ts'

describe('RateLimit', () => {
  it('allows a burst, then the rate, per key', () => {
    const limit = new RateLimit(2, 3)
    const t = 1_000_000
    expect([1, 2, 3, 4].map(() => limit.take('a', t))).toEqual([true, true, true, false])
    expect(limit.take('b', t)).toBe(true)
    expect(limit.take('a', t + 499)).toBe(false)
    expect(limit.take('a', t + 500)).toBe(true)
    expect(limit.take('a', t + 10_000)).toBe(true)
  })
})
