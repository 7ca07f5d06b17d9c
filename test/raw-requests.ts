/** Hand-made requests from a bare libp2p host, as an attacker would send them: no PeerClient checks. */
import { lpStream } from '@libp2p/utils'
import {
  decodeFrame,
  encodeFrame,
  PROTOCOLS,
  type ProtocolName,
  RefusalSchema,
  type SealnetHost,
} from '../protocol/wire/index.ts'

export function varint(value: number): number[] {
  const out: number[] = []
  let rest = value
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80)
    rest = Math.floor(rest / 128)
  }
  out.push(rest)
  return out
}

/** A whole request: libp2p's varint length prefix, then a Sealnet frame. */
export function framed(header: object, body?: Uint8Array): Uint8Array {
  const frame = Buffer.concat(encodeFrame(header, body))
  return new Uint8Array(Buffer.concat([Buffer.from(varint(frame.length)), frame]))
}

/**
 * Sends raw bytes to `peer` on a fresh stream of `protocol` and returns the refusal code
 * of the answer, `ok` for an accepted request, or undefined if the stream broke instead.
 */
export async function sendRaw(
  from: SealnetHost,
  peer: SealnetHost['peerId'],
  protocol: ProtocolName,
  bytes: Uint8Array,
  close = true,
): Promise<string | undefined> {
  // a node past its stream limits resets the stream as it opens: a cut stream too
  const stream = await from.dialProtocol(peer, PROTOCOLS[protocol]).catch(() => undefined)
  if (!stream) return undefined
  try {
    stream.send(bytes)
    if (close) await stream.close({ signal: AbortSignal.timeout(3_000) }).catch(() => {})
    const answer = await lpStream(stream).read({ signal: AbortSignal.timeout(3_000) })
    const { header } = decodeFrame(answer.subarray())
    return (header as { ok?: unknown }).ok === true ? 'ok' : RefusalSchema.parse(header).code
  } catch {
    return undefined
  } finally {
    stream.abort(new Error('done'))
  }
}
