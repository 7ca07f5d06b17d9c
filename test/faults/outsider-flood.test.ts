/**
 * Outsiders flooding a node: many libp2p hosts, each with many streams of 1 MiB shard
 * puts under made-up and forged credentials, slow requests that announce 1 MiB and send
 * nothing more, and an attestation flood. The node refuses each before reading its body
 * (`unauthenticated`, `busy`), cuts a silent request at its header deadline, never holds
 * more than its per-IP share in flight, keeps its memory bounded, and serves a member all
 * along. Figures go to test-results/flood.json.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createHost,
  type PeerClient,
  PROTOCOLS,
  type SealnetHost,
} from '../../protocol/wire/index.ts'
import { eventually } from '../eventually.ts'
import { type OneNodeProject, startOneNodeProject, type TestNode } from '../node-network.ts'
import { framed, sendRaw, varint } from '../raw-requests.ts'

const HOSTS = Number(process.env.SEALNET_FLOOD_HOSTS ?? 20)
const STREAMS = 16
const MiB = 1024 * 1024
const PER_IP = 32 * MiB
const PER_PEER = 4 * MiB
const HEADER_DEADLINE_MS = 2_000

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

describe('a node flooded by outsiders', () => {
  let network: OneNodeProject
  let node: TestNode
  let alice: PeerClient
  let attackers: SealnetHost[] = []

  beforeAll(async () => {
    network = await startOneNodeProject('flood', {
      requestBudget: { perIpBytes: PER_IP, perPeerBytes: PER_PEER },
      headerTimeoutMs: HEADER_DEADLINE_MS,
    })
    ;({ alice } = network)
    node = network.nodes[0]!
    attackers = await Promise.all(
      Array.from({ length: HOSTS }, () => createHost({ dhtServer: false })),
    )
    for (const attacker of attackers) await attacker.dial(node.node.host.getMultiaddrs()[0]!)
  }, 120_000)

  afterAll(async () => {
    for (const attacker of attackers) await attacker.stop()
    await network?.stop()
  })

  it('refuses every outsider request before its body, stays within its share and its memory, and serves a member throughout', async () => {
    const { projectId } = network
    const peer = node.node.host.peerId
    let peakInFlight = 0
    const memory = () => {
      const m = process.memoryUsage()
      return (m.heapUsed + m.arrayBuffers) / MiB
    }
    const retained = () => {
      gc()
      return memory()
    }
    let held = 0
    const before = retained()
    let peakMemory = before
    const sampler = setInterval(() => {
      peakInFlight = Math.max(peakInFlight, node.node.requestBudget.inFlightBytes())
      peakMemory = Math.max(peakMemory, memory())
    }, 5)
    const body = randomBytes(MiB)
    const forged = (attacker: SealnetHost, identity: string) => ({
      identity,
      peerId: attacker.peerId.toString(),
      expiresAt: Date.now() + 60_000,
      signature: randomBytes(256).toString('base64'),
    })
    const answers = new Map<string, number>()
    const count = (code: string | undefined) =>
      answers.set(code ?? 'aborted', (answers.get(code ?? 'aborted') ?? 0) + 1)
    const started = Date.now()
    try {
      // 1. shard puts of 1 MiB: made-up names, and alice's name with a forged signature
      // one frame per host (its bytes shared by its streams), so what grows is the node's
      const frames = attackers.map((attacker, a) =>
        [0, 1].map(kind =>
          framed(
            {
              op: 'put',
              credential: forged(attacker, kind ? 'alice' : `mallory-${a}`),
              projectId,
            },
            body,
          ),
        ),
      )
      const puts = attackers.flatMap((attacker, a) =>
        Array.from({ length: STREAMS }, (_, s) =>
          sendRaw(attacker, peer, 'shard', frames[a]![s % 2]!).then(count),
        ),
      )
      // 2. meanwhile, the member's own work goes through (retrying `busy` as a client does)
      const mine = randomBytes(MiB)
      const served = (async () => {
        const { shardId } = await alice.putShard(node.node.peerId, projectId, mine)
        return alice.getShard(node.node.peerId, projectId, shardId)
      })()
      await Promise.all(puts)
      expect(Buffer.from(await served)).toEqual(mine)
      // no put by an outsider was stored, whatever its answer
      expect(node.node.store.stats().shards).toBe(1)

      // 3. slow requests: a 1 MiB length prefix and nothing more, held open
      const silent = (
        await Promise.all(
          attackers.flatMap(attacker =>
            Array.from({ length: 4 }, async () => {
              // a connection the node closed under the flood is dialed again
              const stream = await attacker
                .dialProtocol(peer, PROTOCOLS.shard)
                .catch(() =>
                  attacker.dialProtocol(node.node.host.getMultiaddrs()[0]!, PROTOCOLS.shard),
                )
                .catch(() => undefined)
              stream?.send(Uint8Array.from(varint(MiB)))
              return stream
            }),
          ),
        )
      ).filter(stream => stream !== undefined)
      expect(silent.length).toBeGreaterThan(HOSTS)
      // what the node holds with the share full of silent requests, after a collection
      await eventually(() => node.node.requestBudget.inFlightBytes() > 0, { what: 'reservations' })
      held = retained() - before
      // the header deadline frees the share
      await eventually(() => node.node.requestBudget.inFlightBytes() === 0, {
        timeoutMs: HEADER_DEADLINE_MS + 5_000,
        what: 'the silent requests cut at their header deadline',
      })
      for (const stream of silent) stream.abort(new Error('done'))

      // 4. attestations for anyone are rate-limited per address
      // in waves of 20: a connection holds at most 32 streams of a protocol at once
      const attests: Array<string | undefined> = []
      for (let wave = 0; wave < 5; wave++)
        attests.push(
          ...(await Promise.all(
            Array.from({ length: 20 }, () =>
              sendRaw(
                attackers[0]!,
                peer,
                'attest',
                framed({ nonce: `0x${randomBytes(32).toString('hex')}` }),
              ),
            ),
          )),
        )
      const attestCodes = new Map<string, number>()
      for (const code of attests)
        attestCodes.set(code ?? 'aborted', (attestCodes.get(code ?? 'aborted') ?? 0) + 1)
      // the burst (40) and what the rate (20/s) refilled meanwhile, then busy
      expect(attestCodes.get('ok')).toBeGreaterThanOrEqual(40)
      expect(attestCodes.get('ok')).toBeLessThan(100)
      expect((attestCodes.get('ok') ?? 0) + (attestCodes.get('busy') ?? 0)).toBe(100)
    } finally {
      clearInterval(sampler)
    }
    const outsiders = HOSTS * STREAMS
    expect(
      [...answers.keys()].filter(c => !['unauthenticated', 'busy', 'aborted'].includes(c)),
    ).toEqual([])
    expect([...answers.values()].reduce((a, n) => a + n, 0)).toBe(outsiders)
    // reservations never passed the per-IP share (every peer here is on 127.0.0.1)
    expect(peakInFlight).toBeLessThanOrEqual(PER_IP)
    const figures = {
      outsider_hosts: HOSTS,
      outsider_puts: outsiders,
      answers: Object.fromEntries(answers),
      peak_in_flight_mib: Number((peakInFlight / MiB).toFixed(1)),
      per_ip_share_mib: PER_IP / MiB,
      memory_before_mib: Number(before.toFixed(0)),
      memory_peak_mib: Number(peakMemory.toFixed(0)),
      memory_retained_mib: Number(held.toFixed(0)),
      seconds: (Date.now() - started) / 1000,
    }
    console.info('flood:', JSON.stringify(figures))
    await mkdir(new URL('../../test-results/', import.meta.url), { recursive: true })
    await writeFile(
      new URL('../../test-results/flood.json', import.meta.url),
      `${JSON.stringify(figures, null, 2)}\n`,
    )
    // 320 MiB of outsider puts were sent; what stays held (node and attackers in this one
    // process) is within the per-IP share and some slack, not the flood's size
    expect(held).toBeLessThan(PER_IP / MiB + 64)
  }, 180_000)
})
