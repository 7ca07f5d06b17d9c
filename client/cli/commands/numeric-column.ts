/**
 * The numbers of an upload: one per line, or one column of a CSV with a header row.
 * Jobs prove statements over unsigned integers, so each value must be one (below 2^64).
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

/** UsageError naming the file, line and text of the first value that is not a uint64. */
export function parseNumericColumn(text: string, file: string, column?: string): bigint[] {
  const lines = text.split(/\r?\n/)
  let index = 0
  let start = 0
  if (column !== undefined) {
    const header = csvFields(lines[0] ?? '')
    index = header.indexOf(column)
    if (index < 0)
      throw new UsageError(`${file} has no column "${column}"; its header is: ${header.join(', ')}`)
    start = 1
  }
  const values: bigint[] = []
  for (let n = start; n < lines.length; n++) {
    if (lines[n]!.trim() === '') continue
    const cell = column === undefined ? lines[n]!.trim() : (csvFields(lines[n]!)[index] ?? '')
    if (!/^\d+$/.test(cell) || BigInt(cell) >= MAX)
      throw new UsageError(
        `${file} line ${n + 1}: "${cell}" is not a whole number from 0 to 2^64-1 (jobs prove over unsigned integers: scale decimals first)`,
      )
    values.push(BigInt(cell))
  }
  if (values.length === 0) throw new UsageError(`${file} holds no values`)
  return values
}
