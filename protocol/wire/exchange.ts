/**
 * One request, one answer, per stream: how every Sealnet protocol talks. Both sides
 * read exactly one length-prefixed frame with a byte limit and a deadline; anything a
 * server can't serve becomes a refusal frame with a code, and the server keeps going.
 * @module
 */
import type { Stream } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import * as z from 'zod'
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
  /** Told of every refusal, for logs and metrics. */
  onRefusal?(code: RefusalCode, err: unknown): void
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
  const lp = lpStream(stream, { maxDataLength: options.maxFrameBytes })
  let answer: Answer
  try {
    const request = await lp.read({ signal })
    answer = await handle(decodeFrame(request.subarray()))
  } catch (err) {
    if (signal.aborted || stream.status !== 'open') {
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
    await lp.write(new Uint8ArrayList(...frame), { signal })
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
