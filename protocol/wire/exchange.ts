/**
 * One request, one answer, per stream: how every Sealnet protocol talks. Both sides
 * read exactly one length-prefixed frame with a byte limit and a deadline; anything a
 * server can't serve becomes a refusal frame with a code, and the server keeps going.
 * @module
 */
import type { Stream } from '@libp2p/interface'
import { byteStream, lpStream } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import { Uint8ArrayList } from 'uint8arraylist'
import * as z from 'zod'
import { MAX_HEADER_BYTES } from './constants.ts'
import {
  MalformedFrameError,
  PeerRefusedError,
  type RefusalCode,
  RequestRefusedError,
} from './errors.ts'
import { decodeFrame, encodeFrame, type Frame } from './frame.ts'
import { RefusalSchema } from './messages.ts'

export interface Answer {
  header: object
  body?: Uint8Array
}

export interface ServeOptions {
  /** Largest request frame read; a longer length prefix is refused unread. */
  maxFrameBytes: number
  /** Deadline for reading the request and writing the answer. */
  timeoutMs: number
  /**
   * Deadline for the length prefix and the header, shorter than `timeoutMs`: a peer that
   * announces a frame and sends nothing holds its reservation no longer than this.
   * @default timeoutMs
   */
  headerTimeoutMs?: number
  /** Told of every refusal, for logs and metrics. */
  onRefusal?(code: RefusalCode, err: unknown): void
  /**
   * Called with a request's length as soon as its prefix is read, before anything else:
   * throws a RequestRefusedError (`busy`) to refuse it unread, else returns what releases
   * the bytes it reserved once the request is served.
   */
  admit?(frameBytes: number): () => void
  /**
   * Called with the request's header before its body is read: throws a RequestRefusedError
   * to refuse it (an unknown credential, say) without reading or buffering more of it.
   */
  checkHeader?(header: unknown): Promise<void>
}

/** How far reading a request got: what to release, and what of its frame is still unread. */
interface RequestProgress {
  releases: Array<() => void>
  /** Bytes of the announced frame not read yet (0 until the prefix is read). */
  unread: number
}

const HEADER_LENGTH_BYTES = 4
/** What the server buffers of a refused request's rest while it drops it. */
const DISCARD_BUFFER = 2 * 1024 * 1024
/** Longest varint a length prefix takes (a 2^35-byte frame): anything longer is malformed. */
const MAX_PREFIX_BYTES = 5

/**
 * Reads one request frame header first: the length prefix (admitted, or refused unread),
 * then the header (checked, or refused before the body), then the body. The stream buffers
 * at most one frame, so what a peer can make this side hold is what `admit` allows.
 */
async function readRequest(
  stream: Stream,
  options: ServeOptions,
  signal: AbortSignal,
  progress: RequestProgress,
): Promise<Frame> {
  const bytes = byteStream(stream, { maxBufferSize: options.maxFrameBytes + MAX_PREFIX_BYTES })
  try {
    return await readFrame(bytes, options, signal, progress)
  } finally {
    // stop buffering what the peer still sends; a closed stream has nothing to hand back
    if (stream.status === 'open' && stream.readStatus === 'readable') bytes.unwrap()
  }
}

async function readFrame(
  bytes: ReturnType<typeof byteStream<Stream>>,
  options: ServeOptions,
  signal: AbortSignal,
  progress: RequestProgress,
): Promise<Frame> {
  const headerSignal = AbortSignal.any([
    signal,
    AbortSignal.timeout(options.headerTimeoutMs ?? options.timeoutMs),
  ])
  // the varint length prefix, a byte at a time as libp2p's lpStream reads it
  const prefix = new Uint8ArrayList()
  for (;;) {
    prefix.append(await bytes.read({ bytes: 1, signal: headerSignal }))
    if (prefix.get(prefix.byteLength - 1) < 0x80) break
    if (prefix.byteLength === MAX_PREFIX_BYTES)
      throw new MalformedFrameError('the length prefix is not a varint')
  }
  const length = varint.decode(prefix)
  if (length > options.maxFrameBytes)
    throw new RequestRefusedError(
      'too-large',
      `a ${length}-byte request exceeds this protocol's ${options.maxFrameBytes} bytes`,
    )
  if (length < HEADER_LENGTH_BYTES)
    throw new MalformedFrameError(`frame of ${length} bytes is shorter than its header length`)
  if (options.admit) progress.releases.push(options.admit(length))
  progress.unread = length
  const headerLength = (
    await bytes.read({ bytes: HEADER_LENGTH_BYTES, signal: headerSignal })
  ).getUint32(0)
  if (headerLength > MAX_HEADER_BYTES || HEADER_LENGTH_BYTES + headerLength > length)
    throw new MalformedFrameError(
      `header length ${headerLength} does not fit a ${length}-byte frame (limit ${MAX_HEADER_BYTES})`,
    )
  progress.unread -= HEADER_LENGTH_BYTES
  const headerBytes =
    headerLength > 0
      ? await bytes.read({ bytes: headerLength, signal: headerSignal })
      : new Uint8ArrayList()
  const { header } = decodeFrame(new Uint8ArrayList(uint32(headerLength), headerBytes).subarray())
  progress.unread -= headerLength
  await options.checkHeader?.(header)
  const bodyLength = length - HEADER_LENGTH_BYTES - headerLength
  const body =
    bodyLength > 0
      ? (await bytes.read({ bytes: bodyLength, signal })).subarray()
      : new Uint8Array(0)
  return { header, body }
}

const uint32 = (value: number) => {
  const bytes = Buffer.alloc(HEADER_LENGTH_BYTES)
  bytes.writeUInt32BE(value)
  return bytes
}

function refusalOf(err: unknown): { code: RefusalCode; message: string } {
  if (err instanceof RequestRefusedError) return { code: err.code, message: err.message }
  if (err instanceof MalformedFrameError) return { code: 'malformed', message: err.message }
  if (err instanceof z.ZodError) {
    const issue = err.issues[0]
    return { code: 'malformed', message: `${issue?.path.join('.') || 'header'}: ${issue?.message}` }
  }
  const name = err instanceof Error ? err.name : ''
  if (name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError')
    return { code: 'too-large', message: (err as Error).message }
  if (name === 'UnexpectedEOFError' || name === 'InvalidMessageLengthError')
    return { code: 'malformed', message: `truncated frame: ${(err as Error).message}` }
  return { code: 'internal', message: 'the node failed to serve this request' }
}

/** Writes one length-prefixed frame with the stream's own backpressure (no read buffer). */
async function writeFrame(stream: Stream, parts: Uint8Array[], signal: AbortSignal): Promise<void> {
  const length = parts.reduce((n, part) => n + part.length, 0)
  for (const part of [varint.encode(length), ...parts])
    if (!stream.send(part)) await stream.onDrain({ signal })
}

/** Reads `count` bytes (or to the end) and drops them, holding a chunk at a time. */
async function discard(stream: Stream, count: number, signal: AbortSignal): Promise<void> {
  const bytes = byteStream(stream, { maxBufferSize: DISCARD_BUFFER })
  let left = count
  while (left > 0) {
    const chunk = await bytes.read({ signal })
    if (chunk === null) break
    left -= chunk.byteLength
  }
  if (stream.status === 'open' && stream.readStatus === 'readable') bytes.unwrap()
}

async function finish(stream: Stream, timeoutMs: number): Promise<void> {
  try {
    await stream.close({ signal: AbortSignal.timeout(timeoutMs) })
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
  }
}

/**
 * Serves one request on `stream` with `handle`. Never throws: a stream that breaks or
 * stalls is aborted, everything else is answered.
 */
export async function serveRequest(
  stream: Stream,
  handle: (frame: Frame) => Promise<Answer>,
  options: ServeOptions,
): Promise<void> {
  const signal = AbortSignal.timeout(options.timeoutMs)
  const progress: RequestProgress = { releases: [], unread: 0 }
  try {
    await serveOne(stream, handle, options, signal, progress)
  } finally {
    for (const release of progress.releases) release()
  }
}

async function serveOne(
  stream: Stream,
  handle: (frame: Frame) => Promise<Answer>,
  options: ServeOptions,
  signal: AbortSignal,
  progress: RequestProgress,
): Promise<void> {
  let answer: Answer
  try {
    answer = await handle(await readRequest(stream, options, signal, progress))
  } catch (err) {
    // a deadline passed (the header's or the request's) or the stream broke: nobody to answer
    const timedOut =
      err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
    if (signal.aborted || timedOut || stream.status !== 'open') {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      options.onRefusal?.('malformed', err)
      return
    }
    const refusal = refusalOf(err)
    options.onRefusal?.(refusal.code, err)
    answer = { header: { ok: false, ...refusal } }
  }
  let frame: Uint8Array[]
  try {
    frame = encodeFrame(answer.header, answer.body)
  } catch (err) {
    // an answer this side can't send (a header over the limit) is still answered
    options.onRefusal?.('internal', err)
    frame = encodeFrame({
      ok: false,
      code: 'internal',
      message: 'the node could not encode its answer',
    })
  }
  try {
    // a request refused before its body was read is still sending it: read the rest of its
    // frame into nothing meanwhile, so its sender reads the refusal instead of a cut stream
    const discarding = progress.unread > 0 ? discard(stream, progress.unread, signal) : undefined
    await writeFrame(stream, frame, signal)
    await discarding
    await finish(stream, options.timeoutMs)
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
  }
}

export interface RequestOptions<T> {
  /** Schema of a successful answer's header. */
  answer: z.ZodType<T>
  maxAnswerBytes: number
  timeoutMs: number
}

/**
 * Sends one request on `stream` and reads the answer. Throws PeerRefusedError with the
 * peer's code, MalformedFrameError for an answer that breaks the protocol.
 */
export async function sendRequest<T>(
  stream: Stream,
  peer: string,
  header: object,
  body: Uint8Array | undefined,
  options: RequestOptions<T>,
): Promise<{ header: T; body: Uint8Array }> {
  const signal = AbortSignal.timeout(options.timeoutMs)
  const lp = lpStream(stream, { maxDataLength: options.maxAnswerBytes })
  try {
    await lp.write(new Uint8ArrayList(...encodeFrame(header, body)), { signal })
    const frame = decodeFrame((await lp.read({ signal })).subarray())
    await finish(stream, options.timeoutMs)
    const refusal = RefusalSchema.safeParse(frame.header)
    if (refusal.success) throw new PeerRefusedError(peer, refusal.data.code, refusal.data.message)
    const parsed = options.answer.safeParse(frame.header)
    if (!parsed.success)
      throw new MalformedFrameError(`answer from ${peer}: ${parsed.error.message}`)
    return { header: parsed.data, body: frame.body }
  } catch (err) {
    if (stream.status === 'open') stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}
