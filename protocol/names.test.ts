import { describe, expect, it } from 'vitest'
import { assertName, MAX_NAME_BYTES, NameSchema, nameProblem } from './names.ts'

describe('nameProblem', () => {
  it('accepts the names people use', () => {
    for (const name of [
      'acme-churn',
      'alice@acme.example',
      'node-4.sealnet.local',
      'Kundendaten 2026',
      'données',
      'x',
    ])
      expect(nameProblem(name), name).toBeUndefined()
    expect(nameProblem('a'.repeat(MAX_NAME_BYTES))).toBeUndefined()
  })

  it('refuses control and format characters, naming the code point', () => {
    expect(nameProblem('acme\0x')).toBe('it holds the control character U+0000')
    expect(nameProblem('acme\x01')).toBe('it holds the control character U+0001')
    expect(nameProblem('acme\nchurn')).toBe('it holds the control character U+000A')
    expect(nameProblem('acme\x7f')).toBe('it holds the control character U+007F')
    expect(nameProblem('acme\u0085')).toBe('it holds the control character U+0085')
    expect(nameProblem('bob\u202e@acme')).toBe('it holds the control character U+202E')
    expect(nameProblem('bob\u200b@acme')).toBe('it holds the control character U+200B')
    expect(nameProblem('a\u2028b')).toBe('it holds the control character U+2028')
  })

  it('refuses empty, overlong and padded names', () => {
    expect(nameProblem('')).toBe('it is empty')
    expect(nameProblem('é'.repeat(MAX_NAME_BYTES / 2 + 1))).toBe(
      `it is longer than ${MAX_NAME_BYTES} bytes`,
    )
    expect(nameProblem(' acme')).toBe('it starts or ends with white space')
    expect(nameProblem('acme ')).toBe('it starts or ends with white space')
  })
})

describe('assertName', () => {
  it('returns a valid name and throws InvalidNameError naming the kind and problem', () => {
    expect(assertName('project', 'acme')).toBe('acme')
    expect(() => assertName('dataset', 'spend\0x')).toThrow(
      expect.objectContaining({
        name: 'InvalidNameError',
        code: 'invalid-name',
        message:
          '"spend\\u0000x" is not a valid dataset name: it holds the control character U+0000',
      }),
    )
  })

  it('NameSchema refuses what nameProblem refuses', () => {
    expect(NameSchema.safeParse('acme').success).toBe(true)
    expect(NameSchema.safeParse('acme\0x').success).toBe(false)
    expect(NameSchema.safeParse('').success).toBe(false)
  })
})
