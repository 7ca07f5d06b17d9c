/**
 * Large objects as a sequence of envelopes: fixed-size plaintext chunks, chunk i sealed
 * with chunkIndex = i, the last one flagged final. Reordering or swapping chunks (even
 * between objects) fails authentication; dropping the tail is detected because no final
 * chunk arrives; anything after the final chunk is refused.
 *
 * Byte form (a sealed file, a shard stream): each envelope prefixed by its length as a
 * u32 big-endian.
 * @module
 */
import {
  DEFAULT_CHUNK_SIZE,
  ENVELOPE_HEADER_LENGTH,
  ENVELOPE_TAG_LENGTH,
  MAX_CHUNK_SIZE,
} from './constants.ts'
import {
  type EnvelopeKey,
  type EnvelopeParts,
  openEnvelope,
  sealEnvelopeParts,
} from './envelope.ts'
import { EnvelopeFormatError, InvalidInputError, TruncatedObjectError } from './errors.ts'

export interface ObjectContext {
  projectId: string
  objectId: string
}

export interface SealObjectOptions {
  /** Plaintext bytes per chunk. @default DEFAULT_CHUNK_SIZE (1 MiB) */
  chunkSize?: number
}

type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>

async function* toAsync(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) yield source
  else yield* source
}

/** Cuts a byte source into chunks of exactly `size` bytes; the last may be shorter, never empty. */
async function* rechunk(source: ByteSource, size: number): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(size)
  let filled = 0
  for await (const piece of toAsync(source)) {
    let offset = 0
    while (offset < piece.length) {
      const take = Math.min(size - filled, piece.length - offset)
      buffer.set(piece.subarray(offset, offset + take), filled)
      filled += take
      offset += take
      if (filled === size) {
        yield buffer
        buffer = new Uint8Array(size)
        filled = 0
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled)
}

/**
 * Seals a byte source chunk by chunk, yielding each envelope in pieces (see
 * sealEnvelopeParts): the zero-copy form for writers. An empty source gives one empty
 * final chunk, so every object has a final chunk.
 */
export async function* sealObjectParts(
  key: EnvelopeKey,
  context: ObjectContext,
  source: ByteSource,
  options: SealObjectOptions = {},
): AsyncGenerator<EnvelopeParts> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new InvalidInputError(`chunkSize must be an integer from 1 to ${MAX_CHUNK_SIZE}`)
  }
  let chunkIndex = 0
  let pending: Uint8Array | undefined
  // hold one chunk back: only the next one (or the end) tells whether it is final
  for await (const chunk of rechunk(source, chunkSize)) {
    if (pending !== undefined)
      yield sealEnvelopeParts(key, { ...context, chunkIndex: chunkIndex++ }, pending, false)
    pending = chunk
  }
  yield sealEnvelopeParts(key, { ...context, chunkIndex }, pending ?? new Uint8Array(0), true)
}

/**
 * Seals a byte source chunk by chunk, one contiguous envelope per chunk.
 * @example for await (const envelope of sealObject(key, { projectId, objectId }, file)) store(envelope)
 */
export async function* sealObject(
  key: EnvelopeKey,
  context: ObjectContext,
  source: ByteSource,
  options: SealObjectOptions = {},
): AsyncGenerator<Uint8Array> {
  for await (const parts of sealObjectParts(key, context, source, options))
    yield Buffer.concat(parts)
}

/**
 * Opens envelopes made by sealObject, in order, yielding each chunk's plaintext once its
 * tag verified. Throws TruncatedObjectError if the source ends before the final chunk or
 * continues after it. A consumer that must not act on a prefix of a truncated object
 * keeps what it gets until the generator finishes (openObjectToBytes does).
 */
export async function* openObject(
  key: EnvelopeKey,
  context: ObjectContext,
  envelopes: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  let chunkIndex = 0
  let finished = false
  for await (const envelope of envelopes) {
    if (finished) throw new TruncatedObjectError('object has data after its final chunk')
    const { plaintext, final } = openEnvelope(
      key,
      { ...context, chunkIndex: chunkIndex++ },
      envelope,
    )
    finished = final
    yield plaintext
  }
  if (!finished) {
    throw new TruncatedObjectError(
      `object ended after ${chunkIndex} chunk(s) without its final chunk: it was truncated`,
    )
  }
}

/** Opens a whole object into memory: all of it, or a typed error and nothing. */
export async function openObjectToBytes(
  key: EnvelopeKey,
  context: ObjectContext,
  envelopes: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  try {
    for await (const part of openObject(key, context, envelopes)) parts.push(part)
  } catch (err) {
    for (const part of parts) part.fill(0)
    throw err
  }
  return Buffer.concat(parts)
}

/**
 * Frames envelopes for a byte stream: u32 big-endian length, then the envelope. Takes
 * contiguous envelopes or their parts; parts are passed through without joining.
 */
export async function* frameEnvelopes(
  envelopes: Iterable<Uint8Array | EnvelopeParts> | AsyncIterable<Uint8Array | EnvelopeParts>,
): AsyncGenerator<Uint8Array> {
  for await (const envelope of envelopes) {
    const parts: readonly Uint8Array[] = envelope instanceof Uint8Array ? [envelope] : envelope
    const prefix = new Uint8Array(4)
    new DataView(prefix.buffer).setUint32(
      0,
      parts.reduce((n, part) => n + part.length, 0),
    )
    yield prefix
    yield* parts
  }
}

/**
 * Splits a framed byte stream back into envelopes. Refuses frames larger than a
 * maxChunk-sized envelope (EnvelopeFormatError) and a stream that stops mid-frame
 * (TruncatedObjectError).
 */
export async function* unframeEnvelopes(
  bytes: ByteSource,
  maxChunk: number = MAX_CHUNK_SIZE,
): AsyncGenerator<Uint8Array> {
  const maxFrame = ENVELOPE_HEADER_LENGTH + maxChunk + ENVELOPE_TAG_LENGTH
  let buffered: Uint8Array = new Uint8Array(0)
  for await (const piece of toAsync(bytes)) {
    buffered = buffered.length === 0 ? piece : Buffer.concat([buffered, piece])
    for (;;) {
      if (buffered.length < 4) break
      const length = new DataView(buffered.buffer, buffered.byteOffset, 4).getUint32(0)
      if (length > maxFrame)
        throw new EnvelopeFormatError(`frame of ${length} bytes exceeds the limit of ${maxFrame}`)
      if (buffered.length < 4 + length) break
      yield buffered.subarray(4, 4 + length)
      buffered = buffered.subarray(4 + length)
    }
  }
  if (buffered.length > 0) throw new TruncatedObjectError('stream ended in the middle of a frame')
}
