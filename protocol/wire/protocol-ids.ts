/** What every Sealnet peer must agree on to talk: protocol ids and topics (limits: constants.ts). */

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
