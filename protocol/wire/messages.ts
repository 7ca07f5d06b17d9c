/**
 * The schema of every request and answer header. A header that fails its schema is a
 * `malformed` refusal; strict objects, so an unknown field is an error, not ignored.
 * @module
 */
import * as z from 'zod'
import { NameSchema } from '../names.ts'
import { AttestationSchema } from './attestation.ts'
import { REFUSAL_CODES } from './errors.ts'
import { PeerCredentialSchema } from './peer-credential.ts'

const HEX32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'a 0x-prefixed 32-byte hex value')
const SHARD_ID = z.string().regex(/^[0-9a-f]{64}$/, 'a shard id (64 lowercase hex characters)')
const BASE64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64')
  .max(8192)

export const AttestRequestSchema = z.strictObject({ nonce: HEX32 })
export const AttestAnswerSchema = z.strictObject({
  ok: z.literal(true),
  attestation: AttestationSchema,
})

export const WrappedProjectKeySchema = z.strictObject({
  /** The project's name. */
  projectId: NameSchema,
  version: z.number().int().positive(),
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  recipient: z.string().regex(/^[0-9a-f]{64}$/),
  wrapped: BASE64,
})

export const KeyRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('project-key'),
    credential: PeerCredentialSchema,
    key: WrappedProjectKeySchema,
  }),
  z.strictObject({
    kind: z.literal('secret'),
    credential: PeerCredentialSchema,
    /** The project (its name) the secret belongs to. */
    project: NameSchema,
    name: z.string().regex(/^[\w.@-]{1,128}$/, 'a secret name: letters, digits, . _ @ -'),
    /** A sealed box (sealToPublicKey) to this node's key. */
    box: BASE64,
  }),
])
export type KeyRequest = z.infer<typeof KeyRequestSchema>
export const KeyAnswerSchema = z.strictObject({ ok: z.literal(true) })

export const ShardRequestSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('put'), credential: PeerCredentialSchema, projectId: HEX32 }),
  // a get or delete names the shard's project: the node authorizes the peer for it before it
  // looks the shard up, so nobody without a role learns which shards a node holds
  z.strictObject({
    op: z.literal('get'),
    credential: PeerCredentialSchema,
    projectId: HEX32,
    shardId: SHARD_ID,
  }),
  z.strictObject({
    op: z.literal('delete'),
    credential: PeerCredentialSchema,
    projectId: HEX32,
    shardId: SHARD_ID,
  }),
])
export type ShardRequest = z.infer<typeof ShardRequestSchema>
export const ShardAnswerSchema = z.strictObject({
  ok: z.literal(true),
  shardId: SHARD_ID,
  size: z.number().int().nonnegative(),
})

export const RefusalSchema = z.strictObject({
  ok: z.literal(false),
  code: z.enum(REFUSAL_CODES),
  message: z.string().max(2048),
})
export type Refusal = z.infer<typeof RefusalSchema>

/** The sealed-box purpose of a secret delivered to a node for `project` over `/sealnet/key/1`. */
export function secretPurpose(project: string, name: string): string {
  return `sealnet/secret/v1\0${project}\0${name}`
}
