/**
 * Long-running health: a node under steady put/get traffic keeps its heap, its open
 * streams and its sockets flat (js-libp2p users report leaked streams and sockets in
 * long-running nodes). In the fault suite, not `npm test`: SEALNET_SOAK_SECONDS sets the
 * length (default 40 s; several minutes is `SEALNET_SOAK_SECONDS=300 npm run test:faults --
 * test/faults/node-soak.test.ts`).
 */
import { randomBytes } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectIdOf } from '../../protocol/ledger/index.ts'
import type { PeerClient } from '../../protocol/wire/index.ts'
import { eventually } from '../eventually.ts'
import { type OneNodeProject, startOneNodeProject, type TestNode } from '../node-network.ts'

const SECONDS = Number(process.env.SEALNET_SOAK_SECONDS ?? 40)
const WARMUP_SECONDS = Math.min(10, SECONDS / 4)

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function heapMiB(): number {
  gc()
  return process.memoryUsage().heapUsed / 2 ** 20
}

const sockets = () => process.getActiveResourcesInfo().filter(r => r === 'TCPSocketWrap').length

describe('a node under steady traffic', () => {
  let network: OneNodeProject
  let nodes: TestNode[]
  let alice: PeerClient
  const projectId = projectIdOf('soak')

  beforeAll(async () => {
    network = await startOneNodeProject('soak', { accessFlushMs: 2_000 })
    ;({ nodes, alice } = network)
  }, 120_000)

  afterAll(async () => {
    await network?.stop()
  })

  it(
    `keeps memory, streams and sockets flat over ${SECONDS} s`,
    async () => {
      const node = nodes[0]!.node
      const peer = node.peerId
      let requests = 0
      let warm: { heap: number; sockets: number } | undefined
      const started = Date.now()
      const heapSamples: number[] = []
      const worker = async () => {
        while (Date.now() - started < SECONDS * 1000) {
          const { shardId } = await alice.putShard(peer, projectId, randomBytes(64 * 1024))
          await alice.getShard(peer, projectId, shardId)
          await alice.deleteShard(peer, projectId, shardId)
          requests += 3
        }
      }
      const sampler = setInterval(() => {
        const elapsed = (Date.now() - started) / 1000
        if (!warm && elapsed >= WARMUP_SECONDS) warm = { heap: heapMiB(), sockets: sockets() }
        else if (warm) heapSamples.push(heapMiB())
      }, 2_000)
      try {
        await Promise.all([worker(), worker(), worker(), worker()])
      } finally {
        clearInterval(sampler)
      }
      // idle: every stream of the traffic closes on both ends
      const openStreams = () => node.host.getConnections().reduce((n, c) => n + c.streams.length, 0)
      await eventually(() => openStreams() <= 2, { what: 'the traffic streams closed' })
      const streams = openStreams()
      const end = heapMiB()
      console.info(
        `soak: ${requests} requests in ${SECONDS} s (${Math.round(requests / SECONDS)}/s); heap ${warm!.heap.toFixed(1)} → ${end.toFixed(1)} MiB (max ${Math.max(...heapSamples).toFixed(1)}); sockets ${warm!.sockets} → ${sockets()}; open streams ${streams}; store ${node.store.stats().shards} shards`,
      )
      expect(requests).toBeGreaterThan(SECONDS * 10)
      expect(streams).toBeLessThanOrEqual(2)
      expect(sockets()).toBeLessThanOrEqual(warm!.sockets)
      expect(end - warm!.heap).toBeLessThan(32)
      expect(node.store.stats().shards).toBe(0)
      await node.accessLog.flush()
      expect(await node.accessLog.pending()).toBe(0)
    },
    (SECONDS + 60) * 1000,
  )
})
