/**
 * The numbers of an upload: one per line, one column of a CSV with a header row, or
 * records of several columns (a linear job's features). Jobs prove statements over
 * unsigned integers, so each value must be one (below 2^64, or the circuit's bound);
 * a `sum` dataset (Paillier) may hold signed integers.
 * @module
 */
import { UsageError } from '../io.ts'

const MAX = 2n ** 64n

/** Splits one CSV line; quoted fields may hold commas and doubled quotes. */
function csvFields(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      fields.push(field)
      field = ''
    } else field += ch
  }
  fields.push(field)
  return fields.map(f => f.trim())
}

/**
 * Rows from `firstRow` on (blank lines skipped), each cell `pick`s a whole number below
 * `max`; with `signed`, a sign is allowed and the bound is on the absolute value.
 */
function parseRows(
  lines: readonly string[],
  firstRow: number,
  file: string,
  pick: (line: string) => string[],
  max: bigint,
  signed = false,
): bigint[][] {
  const rows: bigint[][] = []
  const bits = max.toString(2).length - 1
  for (let n = firstRow; n < lines.length; n++) {
    if (lines[n]!.trim() === '') continue
    rows.push(
      pick(lines[n]!).map(cell => {
        const value = (signed ? /^-?\d+$/ : /^\d+$/).test(cell) ? BigInt(cell) : undefined
        if (value === undefined || value >= max || -value >= max)
          throw new UsageError(
            signed
              ? `${file} line ${n + 1}: "${cell}" is not a whole number between -2^${bits} and 2^${bits} (scale decimals first)`
              : `${file} line ${n + 1}: "${cell}" is not a whole number from 0 to 2^${bits}-1 (jobs prove over unsigned integers: scale decimals first)`,
          )
        return value
      }),
    )
  }
  if (rows.length === 0) throw new UsageError(`${file} holds no values`)
  return rows
}

/**
 * Rows of the named CSV columns (the file has a header row), each value below `max`.
 * UsageError naming the file, line and text of the first value that is not one.
 */
export function parseNumericRecords(
  text: string,
  file: string,
  columns: readonly string[],
  max = MAX,
  signed = false,
): bigint[][] {
  const lines = text.split(/\r?\n/)
  const header = csvFields(lines[0] ?? '')
  const indexes = columns.map(column => {
    const index = header.indexOf(column)
    if (index < 0)
      throw new UsageError(`${file} has no column "${column}"; its header is: ${header.join(', ')}`)
    return index
  })
  return parseRows(
    lines,
    1,
    file,
    line => {
      const fields = csvFields(line)
      return indexes.map(index => fields[index] ?? '')
    },
    max,
    signed,
  )
}

/** One number per line, or one column of a CSV with a header row. */
export function parseNumericColumn(
  text: string,
  file: string,
  column?: string,
  signed = false,
): bigint[] {
  const rows =
    column === undefined
      ? parseRows(text.split(/\r?\n/), 0, file, line => [line.trim()], MAX, signed)
      : parseNumericRecords(text, file, [column], MAX, signed)
  return rows.map(row => row[0]!)
}

/** A decimal as written in a CSV: sign, digits, optional fraction and exponent (1.5, -0.25, 3e-2). */
const DECIMAL_CELL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/

/** `cell` as the digits of value·10^exponent-shifted form: sign, digits, decimals. Undefined if not a decimal. */
function decimalParts(
  cell: string,
): { negative: boolean; digits: string; decimals: number } | undefined {
  const match = DECIMAL_CELL.exec(cell)
  if (!match) return undefined
  const [, sign, whole = '', fraction = '', exponent = '0'] = match
  if (whole === '' && fraction === '') return undefined
  const digits = (whole + fraction).replace(/^0+(?=\d)/, '')
  const decimals = fraction.length - Number(exponent)
  return decimals < 0
    ? { negative: sign === '-', digits: digits + '0'.repeat(-decimals), decimals: 0 }
    : { negative: sign === '-', digits, decimals }
}

/**
 * The named CSV columns (the file has a header row; all of them if `columns` is absent)
 * as fixed-point whole numbers value·10^decimals, row by row. `decimals` defaults to the
 * most any value has. UsageError naming the line, column and text of a value that is not
 * a decimal, has more decimals than asked, or is out of range.
 */
export function parseDecimalTable(
  text: string,
  file: string,
  limits: { maxColumns: number; maxDecimals: number; maxMagnitude: bigint },
  columns?: readonly string[],
  decimals?: number,
): { columns: string[]; decimals: number; values: bigint[] } {
  const lines = text.split(/\r?\n/)
  const header = csvFields(lines[0] ?? '')
  const names = columns ?? header
  if (names.length > limits.maxColumns)
    throw new UsageError(
      `${file}: ${names.length} columns; a table has at most ${limits.maxColumns} (a chunk holds whole records, and training solves a columns × columns system)`,
    )
  const indexes = names.map(column => {
    const index = header.indexOf(column)
    if (index < 0)
      throw new UsageError(`${file} has no column "${column}"; its header is: ${header.join(', ')}`)
    return index
  })
  const cells: Array<{ negative: boolean; digits: string; decimals: number; where: string }> = []
  let most = 0
  for (let n = 1; n < lines.length; n++) {
    if (lines[n]!.trim() === '') continue
    const fields = csvFields(lines[n]!)
    indexes.forEach((index, c) => {
      const cell = fields[index] ?? ''
      const parts = decimalParts(cell)
      const where = `${file} line ${n + 1}, column "${names[c]}"`
      if (!parts) throw new UsageError(`${where}: "${cell}" is not a decimal number`)
      if (parts.decimals > (decimals ?? limits.maxDecimals))
        throw new UsageError(
          `${where}: "${cell}" has ${parts.decimals} decimals; ${decimals === undefined ? `at most ${limits.maxDecimals} are kept` : `--decimals is ${decimals}`}`,
        )
      most = Math.max(most, parts.decimals)
      cells.push({ ...parts, where })
    })
  }
  if (cells.length === 0) throw new UsageError(`${file} holds no records`)
  const scale = decimals ?? most
  const values = cells.map(parts => {
    const magnitude = BigInt(parts.digits) * 10n ** BigInt(scale - parts.decimals)
    if (magnitude > limits.maxMagnitude)
      throw new UsageError(
        `${parts.where}: ${magnitude} (the value ×10^${scale}) is beyond ±${limits.maxMagnitude}, the largest stored value`,
      )
    return parts.negative ? -magnitude : magnitude
  })
  return { columns: [...names], decimals: scale, values }
}
