/**
 * `--fingerprint`: names are first-come on the ledger, so whoever registers
 * `bob@acme.example` first holds that name. Before a key is wrapped to a registered
 * identity, `project share` and `node authorize` print its fingerprint and, given one
 * (read to you by bob from his `sealnet key show`), refuse any other.
 * @module
 */
import { Option } from 'commander'
import { SealnetError } from '../../../protocol/sealnet-error.ts'
import { UsageError } from '../io.ts'

/** Shortest prefix accepted: 64 bits, far beyond a squatter's reach to match by search. */
const MIN_HEX = 16

export class FingerprintMismatchError extends SealnetError {
  readonly code = 'fingerprint-mismatch'
  constructor(identity: string, registered: string, expected: string) {
    super(
      `${identity} is registered with key ${registered}, not ${expected}…: someone else may hold that name; nothing was shared`,
    )
  }
}

export const fingerprintOption = () =>
  new Option(
    '--fingerprint <hex>',
    `refuse unless the identity's registered key has this fingerprint (at least ${MIN_HEX} hex digits, as "sealnet key show" prints it)`,
  )

/** Throws unless `registered` starts with the `expected` fingerprint (when one is given). */
export function requireFingerprint(identity: string, registered: string, expected?: string): void {
  if (expected === undefined) return
  const wanted = expected.toLowerCase().replace(/^0x/, '')
  if (!/^[0-9a-f]+$/.test(wanted) || wanted.length < MIN_HEX)
    throw new UsageError(`--fingerprint takes at least ${MIN_HEX} hex digits; got ${expected}`)
  if (!registered.startsWith(wanted))
    throw new FingerprintMismatchError(identity, registered, wanted)
}
