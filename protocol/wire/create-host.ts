/**
 * The libp2p stack every Sealnet peer runs, nodes and clients alike, so they always
 * agree: TCP, Noise, Yamux, identify, ping, Kademlia on a private protocol name, and
 * gossipsub with one message-id function (the SHA-256 of the data) shared by all.
 * @module
 */
import { createHash } from 'node:crypto'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { type GossipSub, gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { type KadDHT, kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { mdns } from '@libp2p/mdns'
import { type Ping, ping } from '@libp2p/ping'
import { preSharedKey } from '@libp2p/pnet'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2pOptions } from 'libp2p'
import { DHT_PROTOCOL } from './protocol-ids.ts'

export interface HostInit {
  /** The peer's libp2p key; a fresh one if absent (clients). */
  privateKey?: PrivateKey
  /** @default ['/ip4/127.0.0.1/tcp/0'] */
  listen?: string[]
  /** Multiaddrs (with /p2p/ peer ids) to dial at start. */
  bootstrap?: string[]
  /** Find peers on the local network too. @default false */
  mdns?: boolean
  /** A `/key/swarm/psk/1.0.0/` swarm key: only peers holding it can connect. */
  psk?: Uint8Array
  /** Where the peer store lives (a node's LevelDB); in memory if absent. */
  datastore?: Libp2pOptions['datastore']
  /** Serve DHT queries (nodes) or only ask (clients). @default true */
  dhtServer?: boolean
}

export type SealnetHost = Libp2p<{ identify: unknown; ping: Ping; dht: KadDHT; pubsub: GossipSub }>

/** Gossipsub message id: the same function on every peer, or messages are seen twice. */
export function gossipMessageId(message: { data: Uint8Array }): Uint8Array {
  return createHash('sha256').update(message.data).digest()
}

/**
 * @example const host = await createHost({ bootstrap: ['/ip4/127.0.0.1/tcp/4100/p2p/12D3…'] })
 */
export async function createHost(init: HostInit = {}): Promise<SealnetHost> {
  return createLibp2p({
    privateKey: init.privateKey,
    datastore: init.datastore,
    addresses: { listen: init.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionProtector: init.psk ? preSharedKey({ psk: init.psk }) : undefined,
    // The connection monitor pings every connection each 10 s and aborts it if the ping
    // misses an adaptive deadline, which on loopback shrinks to a few ms: a node busy
    // serving shards then lost healthy connections (and every stream on them). Give pings
    // a deadline a busy peer can meet; a really dead peer is still dropped.
    connectionMonitor: { pingTimeout: { minTimeout: 5_000 } },
    // libp2p refuses a 6th inbound connection per second from one IP, and bootstrap dials
    // are not retried: peers sharing an address (a NAT, a test on loopback) stayed alone.
    connectionManager: { inboundConnectionThreshold: 100 },
    peerDiscovery: [
      ...(init.bootstrap?.length ? [bootstrap({ list: init.bootstrap })] : []),
      ...(init.mdns ? [mdns()] : []),
    ],
    services: {
      identify: identify(),
      // the monitor's ping and ours may overlap on one connection
      ping: ping({ maxOutboundStreams: 4, maxInboundStreams: 4 }),
      dht: kadDHT({
        protocol: DHT_PROTOCOL,
        clientMode: init.dhtServer === false,
        // loopback and LAN addresses are how small private networks and tests connect
        peerInfoMapper: passthroughMapper,
      }),
      // publishing to no peer throws, so a caller can retry (a message published to nobody
      // would count as seen and never be sent again)
      pubsub: gossipsub({
        msgIdFn: gossipMessageId,
        allowPublishToZeroTopicPeers: false,
        // gossipsub penalizes more than 10 peers on one IP, and keeps the score of a gone
        // peer for an hour: after about 14 short-lived clients (every CLI command is one; a
        // team behind one NAT looks the same) a node graylisted them all and dropped their
        // messages. Sealnet authenticates every peer and message itself (credentials, the
        // project key, the chain), so the colocation penalty is off.
        scoreParams: { IPColocationFactorWeight: 0 },
      }),
    },
  })
}
