import type { Answer, Frame } from '../../protocol/wire/index.ts'

/** Serves one decoded request frame from `remotePeer` (its Noise-proven peer id). */
export type RequestHandler = (frame: Frame, remotePeer: string) => Promise<Answer>
