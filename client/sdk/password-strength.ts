/**
 * How strong a master password must be. A master key is derived from the password alone
 * (with the identity as salt), so anyone holding the public record can guess offline; the
 * KDF costs each guess about 0.45 s and 128 MiB, which only helps if there are many to
 * make. zxcvbn (`@zxcvbn-ts/core`, with its common dictionaries) estimates the guesses a
 * cracker needs; we ask for 10^10 or more (at 0.45 s a guess on one core: about 140 years).
 * @module
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import { SealnetError } from '../../protocol/sealnet-error.ts'

/** log10 of the guesses a password must need. */
export const MIN_PASSWORD_GUESSES_LOG10 = 10

export class WeakPasswordError extends SealnetError {
  readonly code = 'weak-password'
  constructor(guessesLog10: number, advice: string) {
    super(
      `this password would fall to about 10^${guessesLog10.toFixed(1)} guesses (10^${MIN_PASSWORD_GUESSES_LOG10} needed): ${advice}; nothing was written`,
    )
  }
}

let estimator: ZxcvbnFactory | undefined

/**
 * Throws WeakPasswordError unless `password` needs at least 10^10 guesses; the identity
 * counts against it (a password made of one's own name is weak).
 * @example requireStrongPassword('correct horse battery staple', 'alice@acme.example')
 */
export function requireStrongPassword(password: string, identity: string): void {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary },
    graphs: common.adjacencyGraphs,
  })
  const estimate = estimator.check(password, [identity, ...identity.split(/[@.\-_]/)])
  if (estimate.guessesLog10 >= MIN_PASSWORD_GUESSES_LOG10) return
  const advice = [estimate.feedback.warning, ...estimate.feedback.suggestions]
    .filter(Boolean)
    .join(' ')
  throw new WeakPasswordError(
    estimate.guessesLog10,
    advice || 'use a longer passphrase of several unrelated words',
  )
}
