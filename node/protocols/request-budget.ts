/**
 * What peers can make a node hold: every request reserves its length, as its prefix
 * arrives and before anything else is read, against its peer's and its IP's share; one
 * past either share is refused `busy`, unread. With the stream buffering at most one
 * frame, a node's memory for requests in flight is bounded by the IP shares, whatever
 * an outsider opens, and a member's requests still fit in their own peer's share.
 * @module
 */
import { RequestRefusedError } from '../../protocol/wire/index.ts'
import {
  MAX_IP_INFLIGHT_BYTES,
  MAX_PEER_INFLIGHT_BYTES,
  MAX_PEER_INFLIGHT_REQUESTS,
} from '../constants.ts'

export interface RequestBudgetInit {
  /** @default MAX_PEER_INFLIGHT_BYTES */
  perPeerBytes?: number
  /** @default MAX_IP_INFLIGHT_BYTES */
  perIpBytes?: number
  /** @default MAX_PEER_INFLIGHT_REQUESTS */
  perPeerRequests?: number
}

interface Share {
  bytes: number
  requests: number
}

export class RequestBudget {
  readonly #perPeerBytes: number
  readonly #perIpBytes: number
  readonly #perPeerRequests: number
  readonly #peers = new Map<string, Share>()
  readonly #ips = new Map<string, Share>()

  constructor(init: RequestBudgetInit = {}) {
    this.#perPeerBytes = init.perPeerBytes ?? MAX_PEER_INFLIGHT_BYTES
    this.#perIpBytes = init.perIpBytes ?? MAX_IP_INFLIGHT_BYTES
    this.#perPeerRequests = init.perPeerRequests ?? MAX_PEER_INFLIGHT_REQUESTS
  }

  /** Reserves `bytes` for a request of `peer` from `ip`; returns its release. Throws `busy`. */
  admit(peer: string, ip: string, bytes: number): () => void {
    const byPeer = this.#peers.get(peer) ?? { bytes: 0, requests: 0 }
    const byIp = this.#ips.get(ip) ?? { bytes: 0, requests: 0 }
    if (byPeer.requests >= this.#perPeerRequests || byPeer.bytes + bytes > this.#perPeerBytes)
      throw new RequestRefusedError(
        'busy',
        `this peer has ${byPeer.requests} requests (${byPeer.bytes} bytes) in flight: try again shortly`,
      )
    if (byIp.bytes + bytes > this.#perIpBytes)
      throw new RequestRefusedError(
        'busy',
        `peers from ${ip} have ${byIp.bytes} request bytes in flight: try again shortly`,
      )
    for (const [map, key, share] of [
      [this.#peers, peer, byPeer],
      [this.#ips, ip, byIp],
    ] as const) {
      share.bytes += bytes
      share.requests++
      map.set(key, share)
    }
    let released = false
    return () => {
      if (released) return
      released = true
      for (const [map, key, share] of [
        [this.#peers, peer, byPeer],
        [this.#ips, ip, byIp],
      ] as const) {
        share.bytes -= bytes
        share.requests--
        if (share.requests === 0) map.delete(key)
      }
    }
  }

  /** Request bytes in flight now, over every peer. */
  inFlightBytes(): number {
    let total = 0
    for (const share of this.#ips.values()) total += share.bytes
    return total
  }
}
