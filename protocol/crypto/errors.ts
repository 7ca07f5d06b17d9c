/**
 * Typed errors of the crypto core. Callers and tests branch on `err.name`, never on
 * message text; messages say what is wrong and what to do about it.
 */

import { SealnetError } from '../sealnet-error.ts'

export class InvalidInputError extends SealnetError {
  readonly code = 'invalid-input'
}

export class WrongMasterPasswordError extends SealnetError {
  readonly code = 'wrong-master-password'
  constructor(
    message = 'The password does not open this master key (wrong password or wrong identity); nothing was changed',
  ) {
    super(message)
  }
}

export class MalformedRecordError extends SealnetError {
  readonly code = 'malformed-record'
}

export class UnsupportedVersionError extends SealnetError {
  readonly code = 'unsupported-version'
}

/** The bytes are not an envelope this code can read (bad magic, version, algorithm or length). */
export class EnvelopeFormatError extends SealnetError {
  readonly code = 'envelope-format'
}

/** Authentication failed: the envelope was altered, or the key or the context is not the one it was sealed with. */
export class EnvelopeAuthError extends SealnetError {
  readonly code = 'envelope-auth'
  constructor(
    message = 'Envelope failed authentication: it was altered, or it was sealed under another key, project, object or chunk position',
  ) {
    super(message)
  }
}

/** A chunked object ended before its final chunk, or carried data after it. */
export class TruncatedObjectError extends SealnetError {
  readonly code = 'truncated-object'
}

/** RSA-OAEP unwrap failed: not wrapped for this private key, wrapped for another purpose, or altered. */
export class UnwrapError extends SealnetError {
  readonly code = 'unwrap'
  constructor(
    message = 'Could not unwrap the key: it was not wrapped for this private key or for this project and version, or it was altered',
  ) {
    super(message)
  }
}

/** A secret does not match the schema of its type; the message names the field. */
export class InvalidSecretError extends SealnetError {
  readonly code = 'invalid-secret'
  readonly field: string
  constructor(field: string, problem: string) {
    super(`Secret field "${field}" is invalid: ${problem}`)
    this.field = field
  }
}
