/** What every Sealnet peer must agree on to talk: protocol ids, topics, limits. */

/** Kademlia on a private protocol name, so Sealnet nodes never join the public IPFS DHT. */
export const DHT_PROTOCOL = '/sealnet/kad/1.0.0'

export const PROTOCOLS = {
  attest: '/sealnet/attest/1',
  key: '/sealnet/key/1',
  shard: '/sealnet/shard/1',
  job: '/sealnet/job/1',
} as const
export type ProtocolName = keyof typeof PROTOCOLS

/** Gossipsub topic on which encrypted job specs are announced. */
export const JOB_TOPIC = 'sealnet/jobs/1'

/** Largest frame header (JSON) a peer reads. */
export const MAX_HEADER_BYTES = 16 * 1024

/** Largest shard a node accepts: a 1 MiB chunk sealed, with room for the envelope. */
export const MAX_SHARD_BYTES = 1024 * 1024 + 4096

/** Largest sealed job result a node keeps and sends. */
export const MAX_JOB_RESULT_BYTES = 256 * 1024

/** Largest frame on each protocol; a longer length prefix is refused before it is read. */
export const MAX_FRAME_BYTES: Record<ProtocolName, number> = {
  attest: MAX_HEADER_BYTES,
  key: MAX_HEADER_BYTES,
  shard: MAX_HEADER_BYTES + MAX_SHARD_BYTES,
  job: MAX_HEADER_BYTES + MAX_JOB_RESULT_BYTES,
}
