/**
 * Typed errors of the crypto core. Callers and tests branch on `err.name`, never on
 * message text; messages say what is wrong and what to do about it.
 */

export class InvalidInputError extends Error {
  static override name = 'InvalidInputError'
  constructor(message: string) {
    super(message)
    this.name = InvalidInputError.name
  }
}

export class WrongMasterPasswordError extends Error {
  static override name = 'WrongMasterPasswordError'
  constructor(
    message = 'The password does not open this master key (wrong password or wrong identity); nothing was changed',
  ) {
    super(message)
    this.name = WrongMasterPasswordError.name
  }
}

export class MalformedRecordError extends Error {
  static override name = 'MalformedRecordError'
  constructor(message: string) {
    super(message)
    this.name = MalformedRecordError.name
  }
}

export class UnsupportedVersionError extends Error {
  static override name = 'UnsupportedVersionError'
  constructor(message: string) {
    super(message)
    this.name = UnsupportedVersionError.name
  }
}

/** The bytes are not an envelope this code can read (bad magic, version, algorithm or length). */
export class EnvelopeFormatError extends Error {
  static override name = 'EnvelopeFormatError'
  constructor(message: string) {
    super(message)
    this.name = EnvelopeFormatError.name
  }
}

/** Authentication failed: the envelope was altered, or the key or the context is not the one it was sealed with. */
export class EnvelopeAuthError extends Error {
  static override name = 'EnvelopeAuthError'
  constructor(
    message = 'Envelope failed authentication: it was altered, or it was sealed under another key, project, object or chunk position',
  ) {
    super(message)
    this.name = EnvelopeAuthError.name
  }
}

/** A chunked object ended before its final chunk, or carried data after it. */
export class TruncatedObjectError extends Error {
  static override name = 'TruncatedObjectError'
  constructor(message: string) {
    super(message)
    this.name = TruncatedObjectError.name
  }
}

/** RSA-OAEP unwrap failed: not wrapped for this private key, wrapped for another purpose, or altered. */
export class UnwrapError extends Error {
  static override name = 'UnwrapError'
  constructor(
    message = 'Could not unwrap the key: it was not wrapped for this private key or for this project and version, or it was altered',
  ) {
    super(message)
    this.name = UnwrapError.name
  }
}

/** A secret does not match the schema of its type; the message names the field. */
export class InvalidSecretError extends Error {
  static override name = 'InvalidSecretError'
  readonly field: string
  constructor(field: string, problem: string) {
    super(`Secret field "${field}" is invalid: ${problem}`)
    this.name = InvalidSecretError.name
    this.field = field
  }
}
