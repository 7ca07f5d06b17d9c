/** Typed errors of the Coretex compatibility readers. */

import { SealnetError } from '../../sealnet-error.ts'

/** The bytes are not a Coretex AES-256-CBC file: shorter than its IV, or cut mid-block. */
export class CoretexFormatError extends SealnetError {
  readonly code = 'coretex-format'
}

/** A Coretex project key that is not base64 of 32 bytes. */
export class CoretexKeyError extends SealnetError {
  readonly code = 'coretex-key'
}

/** A secret field that does not open with the given key (wrong key, or not a Coretex field). */
export class CoretexSecretError extends SealnetError {
  readonly code = 'coretex-secret'
}
