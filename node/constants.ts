/**
 * The node's timings and limits, each with its reason. Each is a default: the node's
 * config (and tests) may set another where the option is named.
 */

/** Deadline of one request a node serves or sends: a 1 MiB shard over a slow link. */
export const REQUEST_TIMEOUT_MS = 30_000

/** Deadline for a request's length prefix and header: a peer announcing a frame and sending nothing is cut then. */
export const HEADER_TIMEOUT_MS = 5_000

/** Streams one peer may open at once per Sealnet protocol (libp2p's own cap per handler). */
export const MAX_INBOUND_STREAMS = 32

/** How long an authorization answer from the chain is reused (revocations clear it sooner). */
export const AUTHORIZATION_CACHE_MS = 10_000

/** How often the authorizer reads revocation events: a revoked party is cut off within it. */
export const REVOCATION_POLL_MS = 1_000

/** How often queued access records go to the chain as one batch. */
export const ACCESS_FLUSH_MS = 5_000

/** Most access records in one batch transaction: bounds its gas. */
export const MAX_ACCESS_BATCH = 256

/** Access-batch transactions one project may cost a node an hour: its gas budget there. */
export const ACCESS_BATCHES_PER_PROJECT_HOUR = 120

/** How often expired shards are swept under the project's retention policy. */
export const RETENTION_SWEEP_MS = 60_000

/** How often a node re-checks jobs it lost the race for (handed back ones are claimed). */
export const JOB_WATCH_INTERVAL_MS = 5_000

/** Deadline of each job phase (fetching, proving, recording). */
export const JOB_PHASE_TIMEOUT_MS = 120_000

/** One watch pass in this many reads every watched job; the others only jobs that changed. */
export const JOB_FULL_PASS_EVERY = 12

/** Request bytes one peer may have in flight at once: a few 1 MiB shards in parallel. */
export const MAX_PEER_INFLIGHT_BYTES = 16 * 1024 * 1024

/** Request bytes all peers of one IP may have in flight at once: a NAT of clients, or one attacker. */
export const MAX_IP_INFLIGHT_BYTES = 128 * 1024 * 1024

/** Requests one peer may have in flight at once, across protocols. */
export const MAX_PEER_INFLIGHT_REQUESTS = 64

/** Attestations one IP may ask for a second (each costs an RSA signature), with this burst. */
export const ATTEST_PER_SECOND = 20
export const ATTEST_BURST = 40

/** Other nodes a completed job's sealed result is copied to, so it outlives the node that ran it. */
export const RESULT_COPIES = 2

/** Room a sealed result needs beyond its plaintext: the wrapped key and the envelope's framing. */
export const SEALED_RESULT_MARGIN = 4096
