/**
 * Errors of the wire: what a peer answers when it refuses a request, and what a client
 * raises when it gets such an answer. Both sides branch on `code`, never on text.
 */

import { SealnetError } from '../sealnet-error.ts'

/** Every reason a Sealnet peer gives for refusing a request. */
export const REFUSAL_CODES = [
  'malformed',
  'too-large',
  'unauthenticated',
  'unauthorized',
  'not-found',
  'corrupt',
  'quota',
  'no-grant',
  'busy',
  'internal',
] as const
export type RefusalCode = (typeof REFUSAL_CODES)[number]

/** A frame that is not a Sealnet message: bad length, bad header, or a failed schema check. */
export class MalformedFrameError extends SealnetError {
  readonly code = 'malformed-frame'
}

/**
 * A request this side refuses, with the code sent back to the peer. Handlers throw it;
 * the server turns it into a refusal frame and keeps serving.
 */
export class RequestRefusedError extends SealnetError {
  readonly code: RefusalCode
  constructor(code: RefusalCode, message: string) {
    super(message)
    this.code = code
  }
}

/** The remote peer refused our request; `code` says why, the message is the peer's own. */
export class PeerRefusedError extends SealnetError {
  readonly code: RefusalCode
  readonly peer: string
  constructor(peer: string, code: RefusalCode, message: string) {
    super(`peer ${peer.slice(-8)} refused (${code}): ${message}`)
    this.code = code
    this.peer = peer
  }
}

/** The peer did not answer in time, or the stream broke before a full answer. */
export class PeerUnavailableError extends SealnetError {
  readonly code = 'peer-unavailable'
  readonly peer: string
  constructor(peer: string, cause: unknown) {
    super(
      `peer ${peer.slice(-8)} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`,
    )
    this.peer = peer
  }
}
