import { describe, expect, it } from 'vitest'
import { peerKey, rankByCloseness, shardKey } from './placement.ts'

const PEERS = [
  '12D3KooWGHu1BqAU9xzJTG2Z43RCYBc4JT6PMFjLe2MYkg2kh4nB',
  '12D3KooWH7pw1aB2wpuSZ7rXiKgN8jW8RTgXqGpVHCkKQV3LBHjT',
  '12D3KooWJH9EidRd1XBspYD81uqC11fQDDzFUiFQW1oYHw33PDDg',
].map(peerId => ({ peerId }))

const xorDistance = (a: Buffer, b: Buffer) =>
  BigInt(`0x${Buffer.from(a.map((x, i) => x ^ b[i]!)).toString('hex')}`)

describe('placement by DHT closeness', () => {
  it('orders peers by XOR distance between SHA-256 keys, as kad-dht does', () => {
    for (const shardId of ['00'.repeat(32), 'ff'.repeat(32), '5a'.repeat(32)]) {
      const ranked = rankByCloseness(shardId, PEERS)
      const distances = ranked.map(p => xorDistance(peerKey(p.peerId), shardKey(shardId)))
      expect([...distances].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(distances)
    }
  })

  it('is a pure function of the shard and the candidate set, not their order', () => {
    const shardId = '3c'.repeat(32)
    expect(rankByCloseness(shardId, [...PEERS].reverse())).toEqual(rankByCloseness(shardId, PEERS))
  })

  it('spreads shards: different shards get different first choices', () => {
    const firsts = new Set<string>()
    for (let i = 0; i < 32; i++)
      firsts.add(rankByCloseness(i.toString(16).padStart(64, '0'), PEERS)[0]!.peerId)
    expect(firsts.size).toBe(3)
  })
})
