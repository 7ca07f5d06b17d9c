/**
 * What a name (a project's, a dataset's, an identity's) may be. Names are hashed into
 * on-chain ids and used in keys and envelope contexts, where a control character could
 * make one name a prefix of another's encoding (`acme\0x` after `acme\0`) or display as
 * another name. So every name is checked where it enters: the SDK, the CLI, the node's
 * schemas and, for projects and identities, the contracts.
 * @module
 */
import * as z from 'zod'
import { SealnetError } from './sealnet-error.ts'

/** Longest name in UTF-8 bytes: what the frame schemas always allowed. */
export const MAX_NAME_BYTES = 256

/** Control (Cc) and format (Cf: bidi overrides, zero-width) characters, and line separators. */
const FORBIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/u

export type NameKind = 'project' | 'dataset' | 'identity'

export class InvalidNameError extends SealnetError {
  readonly code = 'invalid-name'
  constructor(kind: NameKind, name: string, problem: string) {
    super(`${JSON.stringify(name)} is not a valid ${kind} name: ${problem}`)
  }
}

/** What is wrong with `name`, or undefined when it is a valid name. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty'
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES)
    return `it is longer than ${MAX_NAME_BYTES} bytes`
  const bad = FORBIDDEN.exec(name)
  if (bad)
    return `it holds the control character U+${bad[0].codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()}`
  if (name.trim() !== name) return 'it starts or ends with white space'
  return undefined
}

/**
 * Returns `name`, or throws InvalidNameError naming what is wrong with it.
 * @example assertName('project', 'acme-churn') // 'acme-churn'
 */
export function assertName(kind: NameKind, name: string): string {
  const problem = nameProblem(name)
  if (problem) throw new InvalidNameError(kind, name, problem)
  return name
}

/** A name in a wire message: refused by schema like any other malformed field. */
export const NameSchema = z.string().refine(name => nameProblem(name) === undefined, {
  message: 'not a valid name (empty, too long, or holding a control character)',
})
