import { describe, expect, it } from 'vitest'
import { formatFixedPoint } from './download.ts'
import { parseDecimalTable } from './numeric-column.ts'

describe('formatFixedPoint', () => {
  it('writes value·10^decimals back as the decimal it stands for', () => {
    expect(formatFixedPoint(-1234, 2)).toBe('-12.34')
    expect(formatFixedPoint(5, 3)).toBe('0.005')
    expect(formatFixedPoint(-5, 1)).toBe('-0.5')
    expect(formatFixedPoint(0, 2)).toBe('0.00')
    expect(formatFixedPoint(42, 0)).toBe('42')
    expect(formatFixedPoint(Number.MAX_SAFE_INTEGER, 9)).toBe('9007199.254740991')
  })

  it('round-trips what the CSV parser read', () => {
    const limits = { maxColumns: 4, maxDecimals: 9, maxMagnitude: BigInt(Number.MAX_SAFE_INTEGER) }
    const { values, decimals } = parseDecimalTable('x\n-0.07\n12.5\n3\n', 'f', limits)
    expect(values.map(v => formatFixedPoint(Number(v), decimals))).toEqual([
      '-0.07',
      '12.50',
      '3.00',
    ])
  })
})
