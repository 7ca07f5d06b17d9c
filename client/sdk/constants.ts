/**
 * The client's timings, each with its reason. Each is a default that the option of the
 * same meaning overrides where it is used.
 */

/** How long announcing a job may take before no node is judged to listen. */
export const ANNOUNCE_TIMEOUT_MS = 10_000

/** Between announcement attempts while no peer has subscribed yet. */
export const ANNOUNCE_RETRY_MS = 200

/** An unclaimed job is announced again after this long (a gossip message can be lost). */
export const REANNOUNCE_AFTER_MS = 3_000

/** How often a waiting submitter reads the job's state on chain and on its node. */
export const JOB_POLL_MS = 250
/**
 * How soon it reads again right after the state changed (then doubling up to JOB_POLL_MS):
 * a job of a few milliseconds' work is delivered moments after it is claimed.
 */
export const JOB_POLL_MIN_MS = 20

/**
 * While a job's node is in a working phase, the submitter asks it to answer once the
 * phase changes (a long poll), waiting at most this long before it reads the chain again:
 * each phase is heard of as it is entered, not up to JOB_POLL_MS later.
 */
export const JOB_STATUS_WAIT_MS = 1_000

/** How long a submitter waits for a result by default. */
export const RESULT_TIMEOUT_MS = 300_000

/** A claimed job whose node does not answer this long is failed back to the network. */
export const SILENT_NODE_MS = 60_000

/** A claimed job that stays in one phase this long is failed back: proving is slow, not this slow. */
export const STUCK_NODE_MS = 600_000

/** How often an unclaimed job's failures are read from chain (a claim and its failure can fall between polls). */
export const SETBACKS_READ_MS = 1_000

/** Deadline of a CLI session's requests to nodes: short, a person is waiting. */
export const SESSION_REQUEST_TIMEOUT_MS = 15_000

/** How often the auditor's dashboard polls the chain while a page listens. */
export const DASHBOARD_POLL_MS = 1_000
