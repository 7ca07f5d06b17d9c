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
