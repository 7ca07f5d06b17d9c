/**
 * Jobs on the wire. What a node must read to run a job is sealed with the project key
 * (only authorized nodes and members open it); what travels in the clear is the job id
 * and the project, both on chain anyway.
 *
 * - A numeric dataset is stored as chunks: each chunk `{ values, salt }` sealed as one
 *   shard with the dataset's own key; its manifest (sealed with the project key) holds
 *   that key and lists every chunk's shard, commitment and holders.
 * - A job spec names the dataset's manifest and the parameters.
 * - The announcement goes out on gossipsub; `/sealnet/job/1` answers a job's status and,
 *   to its submitter, the result sealed to the submitter's key.
 * @module
 */
import * as z from 'zod'
import { NameSchema } from '../names.ts'
import { errorCode } from '../sealnet-error.ts'
import { MAX_FAILURE_REASON } from './constants.ts'
import { PeerCredentialSchema } from './peer-credential.ts'

export const HEX32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'a 0x-prefixed 32-byte hex value')
const SHARD_ID = z.string().regex(/^[0-9a-f]{64}$/, 'a shard id')
export const DECIMAL = z.string().regex(/^\d{1,80}$/, 'a non-negative decimal integer')

export const NumericChunkSchema = z.strictObject({
  values: z.array(DECIMAL).min(1).max(1024),
  salt: DECIMAL,
})
export type NumericChunk = z.infer<typeof NumericChunkSchema>

export const HEX = z.string().regex(/^[0-9a-f]{2,4096}$/, 'lower-case hex')

/** A chunk of a `sum` dataset: Paillier ciphertexts, fixed-width hex (see paillier.ts). */
export const PaillierChunkSchema = z.strictObject({
  ciphertexts: z.array(HEX).min(1).max(1024),
})
export type PaillierChunk = z.infer<typeof PaillierChunkSchema>

export const DatasetManifestSchema = z.strictObject({
  dataset: NameSchema,
  /** Entries per chunk: values of a column, or records when `features` is set. */
  chunkSize: z.number().int().positive(),
  /** Records of this many features, stored flat (a chunk's values are its records in order). */
  features: z.number().int().min(1).max(64).optional(),
  /**
   * Set when the values are Paillier ciphertexts under the public key of modulus `n` (hex):
   * the input of `sum` jobs. Each chunk's commitment is then the keccak256 of its ciphertexts.
   */
  paillier: z.strictObject({ n: HEX }).optional(),
  /**
   * Set when the chunks are a file's bytes as they are (FILE_CHUNK_BYTES each, the last
   * shorter): its size and SHA-256. Each chunk's commitment is then the SHA-256 of its bytes.
   */
  file: z
    .strictObject({
      bytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex'),
    })
    .optional(),
  /**
   * Set when the dataset is a table of signed fixed-point values (see table-dataset.ts):
   * its columns in order, each value stored as value·10^decimals, and its record count.
   * Each chunk's commitment is then the SHA-256 of its sealed plaintext.
   */
  table: z
    .strictObject({
      columns: z.array(z.string().min(1).max(128)).min(1).max(1024),
      decimals: z.number().int().min(0).max(9),
      records: z.number().int().positive(),
    })
    .optional(),
  /** The key the chunks are sealed with (base64, 32 bytes): see dataset-key.ts. */
  dataKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a base64 32-byte key'),
  root: HEX32,
  chunks: z
    .array(
      z.strictObject({
        shardId: SHARD_ID,
        commitment: DECIMAL,
        holders: z.array(z.strictObject({ identity: z.string(), peerId: z.string() })).min(1),
      }),
    )
    .min(1),
})
export type DatasetManifest = z.infer<typeof DatasetManifestSchema>

export const SIGNED_DECIMAL = z.string().regex(/^-?\d{1,80}$/, 'a decimal integer')

/** What every job spec holds, whatever it computes; each kind adds its own fields (protocol/job-kinds). */
export const jobSpecBase = {
  jobId: HEX32,
  project: NameSchema,
  dataset: NameSchema,
  /** The manifest shard of the dataset, and who holds it. */
  manifest: z.strictObject({
    shardId: SHARD_ID,
    holders: z.array(z.strictObject({ identity: z.string(), peerId: z.string() })).min(1),
  }),
  /** Who gets the result, sealed to their registered key. */
  submitter: NameSchema,
}

export const JobAnnouncementSchema = z.strictObject({
  v: z.literal(1),
  jobId: HEX32,
  project: NameSchema,
  /** The JobSpec, sealed with the project key (envelope, base64). */
  spec: z.string().max(64 * 1024),
  /** When it was sent (ms): a re-announcement differs, so gossipsub does not drop it as seen. */
  at: z.number().int().nonnegative(),
})
export type JobAnnouncement = z.infer<typeof JobAnnouncementSchema>

/** A job announcement from its JSON bytes (gossipsub data, or an offer's body); undefined if malformed. */
export function parseAnnouncement(bytes: Uint8Array | undefined): JobAnnouncement | undefined {
  if (!bytes) return undefined
  try {
    return JobAnnouncementSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')))
  } catch {
    return undefined
  }
}

/** The longest a status request may ask the node to wait for a phase change. */
export const JOB_STATUS_MAX_WAIT_MS = 5_000

/** Every phase a job goes through on a node; each has a deadline. */
export const JOB_PHASES = [
  'announced',
  'assigned',
  'fetching',
  'proving',
  'recording',
  'delivered',
  'failed',
] as const
export type JobPhase = (typeof JOB_PHASES)[number]

/**
 * The phases in which a node works on a job it claimed: it moves on from each by itself
 * (a waiting submitter long-polls them), and a restart mid-way hands the job back.
 */
export const JOB_WORKING_PHASES: readonly JobPhase[] = [
  'assigned',
  'fetching',
  'proving',
  'recording',
]

export const JobRequestSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('status'),
    credential: PeerCredentialSchema,
    jobId: HEX32,
    /**
     * Answer once the job has left this phase, or after `waitMs` (a long poll): the
     * submitter hears of each phase as it is entered.
     */
    waitWhile: z.enum(JOB_PHASES).optional(),
    waitMs: z.number().int().min(0).max(JOB_STATUS_MAX_WAIT_MS).optional(),
  }),
  /** A job announcement handed to a node directly (the body holds its JSON, as on gossipsub). */
  z.strictObject({
    op: z.literal('offer'),
    credential: PeerCredentialSchema,
  }),
  /**
   * From the node that completed a job to another node of its project: keep a copy of the
   * result sealed to the submitter (the body), so it outlives the node that ran it. The
   * names are the chain's ids' (checked by the receiver).
   */
  z.strictObject({
    op: z.literal('keep-result'),
    credential: PeerCredentialSchema,
    jobId: HEX32,
    project: NameSchema,
    submitter: NameSchema,
  }),
])

export const JobOfferAnswerSchema = z.strictObject({
  ok: z.literal(true),
  jobId: HEX32,
})

export const JobAnswerSchema = z.strictObject({
  ok: z.literal(true),
  jobId: HEX32,
  phase: z.enum(JOB_PHASES),
  node: z.string(),
  /** Milliseconds spent in each phase reached so far. */
  phases: z.record(z.string(), z.number()),
  error: z.string().optional(),
  /** For the submitter, once delivered: the result sealed to their key travels as the body. */
  hasResult: z.boolean(),
})
export type JobAnswer = z.infer<typeof JobAnswerSchema>

/**
 * Failures no node can avoid, because they come from the job itself: a dataset of the
 * wrong shape, a model the project's approvers never deployed, a model no node may load
 * or that reads another width, a result too large to deliver. A node records a failure
 * as `JobFailed` with the reason `<code>: <message>` (the error's stable SealnetError
 * code); on one of these codes the submitter cancels the job instead of letting every
 * other node try it and fail the same way.
 */
export const PERMANENT_JOB_FAILURES = [
  'dataset-shape',
  'model-not-approved',
  'model-invalid',
  'model-too-large',
  'model-input-width',
  'model-hash-mismatch',
  'result-too-large',
] as const

/** Whether a `JobFailed` reason names a permanent failure. */
export function isPermanentJobFailure(reason: string): boolean {
  return PERMANENT_JOB_FAILURES.some(code => reason.startsWith(`${code}: `))
}

/** The reason a node records on chain for a failed job: the error's code, then its message. */
export function jobFailureReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return `${errorCode(err)}: ${text}`.slice(0, MAX_FAILURE_REASON)
}

/** The sealed-box purpose of a job result. */
export const jobResultPurpose = (jobId: string) => `sealnet/job-result/v1\0${jobId}`

/** Where each sealed job object is bound (envelope context): swapping one for another fails. */
export const specContext = (project: string, jobId: string) => ({
  projectId: project,
  objectId: `job:${jobId}`,
  chunkIndex: 0,
})
export const manifestContext = (project: string, dataset: string) => ({
  projectId: project,
  objectId: `manifest:${dataset}`,
  chunkIndex: 0,
})
export const chunkContext = (project: string, dataset: string, index: number) => ({
  projectId: project,
  objectId: `dataset:${dataset}`,
  chunkIndex: index,
})
