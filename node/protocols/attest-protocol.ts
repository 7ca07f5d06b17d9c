/** `/sealnet/attest/1`: answers a nonce with this node's signed measurement. Open to anyone. */
import type { KeyObject } from 'node:crypto'
import { AttestRequestSchema, signAttestation } from '../../protocol/wire/index.ts'
import type { RequestHandler } from './handler.ts'

export interface AttestProtocolInit {
  key: { identity: string; privateKey: KeyObject }
  peerId: string
  measurement: string
}

export function attestProtocol(init: AttestProtocolInit): RequestHandler {
  return async frame => {
    const { nonce } = AttestRequestSchema.parse(frame.header)
    return {
      header: {
        ok: true,
        attestation: signAttestation(init.key, init.peerId, init.measurement, nonce),
      },
    }
  }
}
