/**
 * The body of every Sealnet message (inside libp2p's varint length prefix):
 *
 *   u32 BE header length | header: UTF-8 JSON object | body: raw bytes (may be empty)
 *
 * Shards travel as raw bytes, never base64, so a transfer costs what the bytes cost.
 * @module
 */

import { MAX_HEADER_BYTES } from './constants.ts'
import { MalformedFrameError } from './errors.ts'

export interface Frame {
  header: unknown
  body: Uint8Array
}

const HEADER_LENGTH_BYTES = 4

/** The frame as parts, so a large body is written without a copy. */
export function encodeFrame(header: object, body: Uint8Array = new Uint8Array(0)): Uint8Array[] {
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  if (json.length > MAX_HEADER_BYTES) {
    throw new MalformedFrameError(`header of ${json.length} bytes exceeds ${MAX_HEADER_BYTES}`)
  }
  const prefix = Buffer.alloc(HEADER_LENGTH_BYTES)
  prefix.writeUInt32BE(json.length)
  return body.length === 0 ? [prefix, json] : [prefix, json, body]
}

/** Splits a frame; throws MalformedFrameError for a bad length or a header that is not a JSON object. */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.length < HEADER_LENGTH_BYTES) {
    throw new MalformedFrameError(
      `frame of ${bytes.length} bytes is shorter than its header length`,
    )
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const length = view.readUInt32BE(0)
  if (length > MAX_HEADER_BYTES || HEADER_LENGTH_BYTES + length > bytes.length) {
    throw new MalformedFrameError(
      `header length ${length} does not fit a ${bytes.length}-byte frame (limit ${MAX_HEADER_BYTES})`,
    )
  }
  let header: unknown
  try {
    header = JSON.parse(view.toString('utf8', HEADER_LENGTH_BYTES, HEADER_LENGTH_BYTES + length))
  } catch {
    throw new MalformedFrameError('header is not JSON')
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new MalformedFrameError('header is not a JSON object')
  }
  return { header, body: bytes.subarray(HEADER_LENGTH_BYTES + length) }
}
