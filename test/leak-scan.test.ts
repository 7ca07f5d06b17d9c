import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encodedForms, findLeaks } from './leak-scan.ts'

describe('findLeaks', () => {
  const secret = randomBytes(32)
  const needle = [{ name: 'key', bytes: secret }]
  const around = (inner: Buffer | string) =>
    Buffer.concat([randomBytes(17), Buffer.from(inner), randomBytes(9)])

  it('finds a secret raw, as hex and upper-case hex', () => {
    expect(findLeaks([{ name: 'a', bytes: around(secret) }], needle)).toEqual([
      { needle: 'key', haystack: 'a', form: 'raw' },
    ])
    expect(
      findLeaks([{ name: 'b', bytes: around(`0x${secret.toString('hex')}`) }], needle)[0]!.form,
    ).toBe('hex')
    expect(
      findLeaks([{ name: 'c', bytes: around(secret.toString('hex').toUpperCase()) }], needle)[0]!
        .form,
    ).toBe('HEX')
  })

  it('finds a secret base64-encoded inside larger data, at every byte alignment', () => {
    for (const before of [0, 1, 2, 3, 4, 5]) {
      const carrier = Buffer.concat([randomBytes(before), secret, randomBytes(before + 1)])
      for (const encoding of ['base64', 'base64url'] as const) {
        const text = JSON.stringify({ body: carrier.toString(encoding) })
        const [leak] = findLeaks([{ name: 'json', bytes: Buffer.from(text) }], needle)
        // a core without + or / reads the same in both alphabets
        expect(leak?.form, `${encoding} with ${before} bytes before`).toMatch(/^base64/)
      }
    }
  })

  it('reports nothing for data that does not hold the secret, and ignores forms too short to mean anything', () => {
    const other = randomBytes(4096)
    expect(findLeaks([{ name: 'noise', bytes: other }], needle)).toEqual([])
    expect(encodedForms(Buffer.from('abcdef')).map(f => f.form)).toEqual([
      'hex',
      'HEX',
      'base64+0',
      'base64url+0',
    ])
  })
})
