/** Typed errors of the Coretex compatibility readers. */

/** The bytes are not a Coretex AES-256-CBC file: shorter than its IV, or cut mid-block. */
export class CoretexFormatError extends Error {
  static override name = 'CoretexFormatError'
  constructor(message: string) {
    super(message)
    this.name = CoretexFormatError.name
  }
}

/** A Coretex project key that is not base64 of 32 bytes. */
export class CoretexKeyError extends Error {
  static override name = 'CoretexKeyError'
  constructor(message: string) {
    super(message)
    this.name = CoretexKeyError.name
  }
}

/** A secret field that does not open with the given key (wrong key, or not a Coretex field). */
export class CoretexSecretError extends Error {
  static override name = 'CoretexSecretError'
  constructor(message: string) {
    super(message)
    this.name = CoretexSecretError.name
  }
}
