/**
 * The wire layer's limits and timings, each with its reason. Peers must agree on the
 * limits; the timings are this side's defaults, each overridable where it is used.
 */
import type { ProtocolName } from './protocol-ids.ts'

/** Largest frame header (JSON) a peer reads. */
export const MAX_HEADER_BYTES = 16 * 1024

/** Largest shard a node accepts: a 1 MiB chunk sealed, with room for the envelope. */
export const MAX_SHARD_BYTES = 1024 * 1024 + 4096

/**
 * Largest sealed job result a node keeps and sends: an ONNX job's outputs travel in it
 * (float32, base64: 4 MiB holds about 780 000 output values).
 */
export const MAX_JOB_RESULT_BYTES = 4 * 1024 * 1024

/** Largest frame on each protocol; a longer length prefix is refused before it is read. */
export const MAX_FRAME_BYTES: Record<ProtocolName, number> = {
  attest: MAX_HEADER_BYTES,
  key: MAX_HEADER_BYTES,
  shard: MAX_HEADER_BYTES + MAX_SHARD_BYTES,
  job: MAX_HEADER_BYTES + MAX_JOB_RESULT_BYTES,
}

/**
 * The most chunks a proven job may cover: its completion carries one Groth16 proof a
 * chunk, about 263 000 gas each to check, and a block holds 30 M gas. A job over more
 * could never be recorded, so it is refused before it is submitted and before it is proven.
 */
export const MAX_PROVEN_CHUNKS = 100

/** Default number of nodes that hold each shard. */
export const DEFAULT_REPLICATION = 2

/** Longest validity a node accepts, so a leaked credential soon stops working. */
export const MAX_CREDENTIAL_TTL_MS = 24 * 60 * 60 * 1000

/** How long a client's own credentials last: re-signed hourly, well inside the node's cap. */
export const CREDENTIAL_TTL_MS = 60 * 60 * 1000

/** A client's deadline per request (dial, send, answer): a 1 MiB shard on a slow link. */
export const REQUEST_TIMEOUT_MS = 30_000

/** A `busy` refusal is tried again this many times, after this wait doubling each time. */
export const BUSY_RETRIES = 4
export const BUSY_RETRY_MS = 100

/** How long a read waits on one holder before asking the next as well (hedged reads). */
export const HEDGE_AFTER_MS = 500

/** Longest `JobFailed` reason a node records: the reason is calldata, paid for in gas. */
export const MAX_FAILURE_REASON = 200

/**
 * Chunks a dataset transfer keeps in flight (placed, or fetched ahead of the one being
 * opened): one request at a time leaves both ends idle for its round trips. 4 × 1 MiB
 * stays well inside a node's per-peer share (16 MiB).
 */
export const CHUNKS_IN_FLIGHT = 4
