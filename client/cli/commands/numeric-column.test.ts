import { describe, expect, it } from 'vitest'
import { parseDecimalTable, parseNumericColumn, parseNumericRecords } from './numeric-column.ts'

const usage = (text: RegExp) =>
  expect.objectContaining({ name: 'UsageError', message: expect.stringMatching(text) })

describe('parseNumericColumn', () => {
  it('reads one number per line, skipping blank lines', () => {
    expect(parseNumericColumn('1\n 20\n\n300\r\n', 'f')).toEqual([1n, 20n, 300n])
  })

  it('reads a named CSV column, with quoted fields', () => {
    const csv = 'name,spend\n"Doe, Jane",12\n"say ""hi""",7\n'
    expect(parseNumericColumn(csv, 'f.csv', 'spend')).toEqual([12n, 7n])
  })

  it('names the file, line and value that is not a uint64', () => {
    expect(() => parseNumericColumn('1\n2.5\n', 'f')).toThrow(usage(/f line 2: "2.5"/))
    expect(() => parseNumericColumn('-3\n', 'f')).toThrow(usage(/line 1: "-3"/))
    expect(() => parseNumericColumn(`${2n ** 64n}\n`, 'f')).toThrow(usage(/line 1/))
  })

  it('reads signed numbers for a sum dataset, still bounded', () => {
    expect(parseNumericColumn('-3\n4\n', 'f', undefined, true)).toEqual([-3n, 4n])
    expect(parseNumericColumn('x\n-7\n', 'f.csv', 'x', true)).toEqual([-7n])
    expect(() => parseNumericColumn(`-${2n ** 64n}\n`, 'f', undefined, true)).toThrow(
      usage(/line 1: .* between -2\^64 and 2\^64/),
    )
    expect(() => parseNumericColumn('--1\n', 'f', undefined, true)).toThrow(usage(/line 1/))
  })

  it('refuses a missing column and an empty file', () => {
    expect(() => parseNumericColumn('a,b\n1,2\n', 'f.csv', 'c')).toThrow(
      usage(/no column "c".*a, b/),
    )
    expect(() => parseNumericColumn('\n\n', 'f')).toThrow(usage(/holds no values/))
  })
})

describe('parseNumericRecords', () => {
  it('reads rows of the named columns, in the order named', () => {
    const csv = 'a,b,c\n1,2,3\n4,5,6\n'
    expect(parseNumericRecords(csv, 'f.csv', ['c', 'a'])).toEqual([
      [3n, 1n],
      [6n, 4n],
    ])
  })

  it('refuses a value at or above the bound, naming it', () => {
    expect(() => parseNumericRecords(`x\n${2 ** 32}\n`, 'f.csv', ['x'], 2n ** 32n)).toThrow(
      usage(/f.csv line 2: "4294967296" is not a whole number from 0 to 2\^32-1/),
    )
  })
})

describe('parseDecimalTable', () => {
  const limits = { maxColumns: 3, maxDecimals: 4, maxMagnitude: 10n ** 9n }

  it('reads decimals, negatives and exponents as fixed-point at the most decimals given', () => {
    const csv = 'id,x,y\n1,1.5,-2\n2,-0.25,3e-2\n3,+7,1E2\n'
    expect(parseDecimalTable(csv, 'f.csv', limits, ['x', 'y'])).toEqual({
      columns: ['x', 'y'],
      decimals: 2,
      values: [150n, -200n, -25n, 3n, 700n, 10000n],
    })
  })

  it('takes every column when none are named, and a fixed --decimals', () => {
    expect(parseDecimalTable('a,b\n1,2.5\n', 'f', limits, undefined, 3)).toEqual({
      columns: ['a', 'b'],
      decimals: 3,
      values: [1000n, 2500n],
    })
  })

  it('names the line, column and text of a bad value', () => {
    const csv = 'a,b\n1,2\n3,abc\n'
    expect(() => parseDecimalTable(csv, 'f.csv', limits)).toThrow(
      usage(/f\.csv line 3, column "b": "abc" is not a decimal number/),
    )
    expect(() => parseDecimalTable('a\n1..2\n', 'f', limits)).toThrow(usage(/line 2, column "a"/))
    expect(() => parseDecimalTable('a\n\n.\n', 'f', limits)).toThrow(usage(/line 3/))
  })

  it('refuses more decimals than asked or kept, values out of range, too many columns', () => {
    expect(() => parseDecimalTable('a\n1.234\n', 'f', limits, undefined, 2)).toThrow(
      usage(/line 2, column "a": "1.234" has 3 decimals; --decimals is 2/),
    )
    expect(() => parseDecimalTable('a\n0.00001\n', 'f', limits)).toThrow(usage(/at most 4/))
    expect(() => parseDecimalTable('a\n1\n-2000000000\n', 'f', limits)).toThrow(
      usage(/line 3, column "a": 2000000000 .* beyond/),
    )
    expect(() => parseDecimalTable('a,b,c,d\n1,2,3,4\n', 'f', limits)).toThrow(
      usage(/4 columns; a table has at most 3/),
    )
    expect(() => parseDecimalTable('a\n1\n', 'f', limits, ['z'])).toThrow(usage(/no column "z"/))
  })
})
