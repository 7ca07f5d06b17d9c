import { describe, expect, it } from 'vitest'
import { requireStrongPassword } from './password-strength.ts'

describe('requireStrongPassword', () => {
  it('accepts a passphrase of unrelated words', () => {
    expect(() =>
      requireStrongPassword('violet kettle marches under nine quiet lamps', 'alice@acme.example'),
    ).not.toThrow()
  })

  it('refuses common, short and own-name passwords with WeakPasswordError, saying why', () => {
    for (const weak of [
      'password',
      'hunter2',
      'alice@acme.example',
      'alice password',
      'horse battery',
    ])
      expect(() => requireStrongPassword(weak, 'alice@acme.example'), weak).toThrow(
        expect.objectContaining({
          name: 'WeakPasswordError',
          code: 'weak-password',
          message: expect.stringMatching(/guesses \(10\^10 needed\).*nothing was written$/),
        }),
      )
  })
})
