/**
 * The peer node: shard transfer between a client and a real node (TCP + Noise + Yamux,
 * ledger-authorized) against a node:tls TLS 1.3 socket and a raw TCP socket moving the
 * same bytes in the same request/response pattern; put/get latency; the shard store
 * against raw `level` puts; and how long 10 and 30 nodes take to discover each other
 * against just connecting to their bootstrap peer.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import * as z from 'zod'
import { deployLedger, startInProcessChain } from '../../dev-chain/index.ts'
import { SealnetNode } from '../../node/sealnet-node.ts'
import { ShardStore } from '../../node/shard-store/index.ts'
import { createMasterKeyRecord, deriveMasterKey } from '../../protocol/crypto/index.ts'
import { Ledger } from '../../protocol/ledger/index.ts'
import {
  createHost,
  MAX_HEADER_BYTES,
  PeerClient,
  type SealnetHost,
  sendRequest,
  serveRequest,
} from '../../protocol/wire/index.ts'
import { percentile } from '../../test/percentile.ts'
import { startLoopback } from './loopback-baselines.ts'
import { type BenchOptions, type BenchResult, median, ratioResult, timeMsAsync } from './measure.ts'

const FAST = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } } as const
const MIB = 1024 * 1024
const BENCH_PROTOCOL = '/sealnet-bench/exchange/1'
const BareAnswer = z.object({ ok: z.literal(true) })

async function transfer(options: BenchOptions): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sealnet-bench-node-'))
  const chain = await startInProcessChain()
  const results: BenchResult[] = []
  let node: SealnetNode | undefined
  let client: PeerClient | undefined
  try {
    const owner = await chain.provider.getSigner(0)
    const ledger = await Ledger.connect(owner, await deployLedger(owner))
    const nodeLedger = ledger.as(await chain.provider.getSigner(1))
    const alice = await deriveMasterKey('pw', 'bench-alice', FAST)
    const nodeKey = await deriveMasterKey('pw', 'bench-node', FAST)
    await ledger.registerIdentity('user', createMasterKeyRecord(alice))
    node = new SealnetNode({
      key: nodeKey,
      dataDir: dir,
      ledger: nodeLedger,
      accessFlushMs: 3_600_000,
    })
    await node.start()
    await nodeLedger.registerIdentity('node', createMasterKeyRecord(nodeKey), node.peerId)
    const project = await ledger.createProject('bench', 0)
    await ledger.allowMeasurement(project, node.measurement)
    await ledger.recordGrant(project, 'bench-node', 1, 'ab'.repeat(32), node.measurement)
    client = new PeerClient({ key: alice, bootstrap: node.multiaddrs })
    await client.start()
    const peer = node.peerId
    const tls = await startLoopback('tls', randomBytes(MIB))
    const tcp = await startLoopback('tcp', randomBytes(MIB))
    try {
      const runs = options.quick ? 5 : 11
      const perRun = options.quick ? 8 : 24
      const shard = randomBytes(MIB)
      const { shardId } = await client.putShard(peer, project, shard)
      const mibPerSecond = async (work: () => Promise<unknown>) =>
        perRun /
        ((await timeMsAsync(async () => {
          for (let i = 0; i < perRun; i++) await work()
        })) /
          1000)
      // the stack's own ceiling: the same exchange with a handler that only answers
      const payload = randomBytes(MIB)
      await node.host.handle(BENCH_PROTOCOL, stream =>
        serveRequest(stream, async () => ({ header: { ok: true }, body: payload }), {
          maxFrameBytes: MAX_HEADER_BYTES,
          timeoutMs: 30_000,
        }),
      )
      const bare = async () => {
        const stream = await client!.host.dialProtocol(node!.host.peerId, BENCH_PROTOCOL)
        await sendRequest(stream, 'node', {}, undefined, {
          answer: BareAnswer,
          maxAnswerBytes: 2 * MIB,
          timeoutMs: 30_000,
        })
      }
      const stack = { ours: [] as number[], baseline: [] as number[] }
      const get = { ours: [] as number[], baseline: [] as number[] }
      const getTcp: number[] = []
      const put = { ours: [] as number[], baseline: [] as number[] }
      for (let r = 0; r < runs; r++) {
        get.ours.push(await mibPerSecond(() => client!.getShard(peer, project, shardId)))
        get.baseline.push(await mibPerSecond(() => tls.get(MIB)))
        getTcp.push(await mibPerSecond(() => tcp.get(MIB)))
        stack.ours.push(await mibPerSecond(bare))
        stack.baseline.push(get.baseline.at(-1)!)
        // fresh shards, so each put stores (a known shard is a no-op)
        const fresh = Array.from({ length: perRun }, () => randomBytes(MIB))
        let i = 0
        put.ours.push(await mibPerSecond(() => client!.putShard(peer, project, fresh[i++]!)))
        put.baseline.push(await mibPerSecond(() => tls.put(shard)))
      }
      const tcpRate = median(getTcp)
      results.push(
        {
          ...ratioResult(
            {
              id: 'node.shard_get_1mib.vs_tls',
              baseline: 'node:tls TLS 1.3 socket on loopback, same 1 MiB request/response',
              target: '>= 0.5',
              sampleUnit: 'MiB/s',
            },
            get,
            (o, b) => o / b,
          ),
          detail: {
            tcp_mib_per_s: Number(tcpRate.toFixed(1)),
            vs_raw_tcp: Number((median(get.ours) / tcpRate).toFixed(3)),
          },
        },
        ratioResult(
          {
            id: 'node.libp2p_exchange_1mib.vs_tls',
            baseline:
              'the same TLS 1.3 figure; ours is one request/answer on a fresh libp2p stream (TCP, Noise, Yamux) whose handler only answers: the ceiling the stack sets',
            target: null,
            sampleUnit: 'MiB/s',
          },
          stack,
          (o, b) => o / b,
        ),
        ratioResult(
          {
            id: 'node.shard_put_1mib.vs_tls',
            baseline:
              'node:tls TLS 1.3 upload of 1 MiB, acknowledged (ours also hashes, stores, queues the access record)',
            target: null,
            sampleUnit: 'MiB/s',
          },
          put,
          (o, b) => o / b,
        ),
      )
      // latency of 64 KiB requests, one at a time
      const count = options.quick ? 100 : 400
      const small = randomBytes(64 * 1024)
      const latency = { put: [] as number[], get: [] as number[], tls: [] as number[] }
      for (let i = 0; i < count; i++) {
        const bytes = randomBytes(64 * 1024)
        let id = ''
        latency.put.push(
          await timeMsAsync(
            async () => ({ shardId: id } = await client!.putShard(peer, project, bytes)),
          ),
        )
        latency.get.push(await timeMsAsync(() => client!.getShard(peer, project, id)))
        latency.tls.push(await timeMsAsync(() => tls.put(small)))
      }
      for (const op of ['put', 'get'] as const) {
        results.push({
          ...ratioResult(
            {
              id: `node.${op}_latency_64kib.vs_tls`,
              baseline: 'one 64 KiB TLS 1.3 round trip on loopback',
              target: null,
              sampleUnit: 'ms',
            },
            { ours: latency[op], baseline: latency.tls },
            (o, b) => o / b,
          ),
          detail: {
            p50_ms: Number(median(latency[op]).toFixed(2)),
            p99_ms: Number(percentile(latency[op], 99).toFixed(2)),
            tls_p99_ms: Number(percentile(latency.tls, 99).toFixed(2)),
          },
        })
      }
    } finally {
      await tls.close()
      await tcp.close()
    }
  } finally {
    await client?.stop()
    await node?.stop()
    await chain.close()
    await rm(dir, { recursive: true, force: true })
  }
  return results
}

async function store(options: BenchOptions): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sealnet-bench-store-'))
  const shards = new ShardStore({ path: join(dir, 'store') })
  const raw = new Level<string, Uint8Array>(join(dir, 'raw'), { valueEncoding: 'view' })
  await shards.start()
  await raw.open()
  try {
    const runs = options.quick ? 5 : 11
    const perRun = options.quick ? 200 : 500
    const samples = { ours: [] as number[], baseline: [] as number[] }
    const mib = (perRun * 64 * 1024) / MIB
    for (let r = 0; r < runs; r++) {
      const values = Array.from({ length: perRun }, () => randomBytes(64 * 1024))
      samples.ours.push(
        mib /
          ((await timeMsAsync(async () => {
            for (const v of values) await shards.put(v, { projectId: 'bench' })
          })) /
            1000),
      )
      samples.baseline.push(
        mib /
          ((await timeMsAsync(async () => {
            for (const [i, v] of values.entries()) await raw.put(`k${r}-${i}`, v)
          })) /
            1000),
      )
    }
    return ratioResult(
      {
        id: 'node.store_put_64kib.vs_level',
        baseline:
          'raw level put of the same 64 KiB values (ours adds SHA-256, metadata, one atomic batch)',
        target: '>= 0.5',
        sampleUnit: 'MiB/s',
      },
      samples,
      (o, b) => o / b,
    )
  } finally {
    await shards.stop()
    await raw.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Seconds until the network is discovered: every host knows min(n - 1, 20) peers (a
 * Kademlia bucket) and 20 random lookups of one host by another all succeed; and seconds
 * until every host has just connected to the bootstrap peer.
 */
async function discover(
  count: number,
): Promise<{ discovery: number; connect: number; coverage: number }> {
  const hosts: SealnetHost[] = []
  try {
    const first = await createHost()
    hosts.push(first)
    const bootstrap = first.getMultiaddrs().map(String)
    const started = performance.now()
    for (let i = 1; i < count; i++) hosts.push(await createHost({ bootstrap }))
    let connect = 0
    const wanted = Math.min(count - 1, 20)
    const deadline = started + 120_000
    while (performance.now() < deadline) {
      if (!connect && hosts.slice(1).every(h => h.getPeers().some(p => p.equals(first.peerId))))
        connect = performance.now() - started
      const known = await Promise.all(hosts.map(async h => (await h.peerStore.all()).length))
      if (connect && known.every(n => n >= wanted)) {
        const lookups = Array.from({ length: 20 }, (_, i) => {
          const from = hosts[(i * 7) % count]!
          const to = hosts[(i * 13 + 5) % count]!
          return from === to
            ? Promise.resolve()
            : from.peerRouting.findPeer(to.peerId, { signal: AbortSignal.timeout(10_000) })
        })
        await Promise.all(lookups)
        const coverage = known.reduce((a, b) => a + b, 0) / (count * (count - 1))
        return {
          discovery: (performance.now() - started) / 1000,
          connect: connect / 1000,
          coverage,
        }
      }
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    throw new Error(`${count} nodes did not discover each other within 120 s`)
  } finally {
    await Promise.all(hosts.map(h => h.stop()))
  }
}

async function discovery(options: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  for (const count of options.quick ? [10] : [10, 30]) {
    const samples = { ours: [] as number[], baseline: [] as number[] }
    const coverage: number[] = []
    for (let r = 0; r < (options.quick ? 1 : 3); r++) {
      const found = await discover(count)
      samples.ours.push(found.discovery)
      samples.baseline.push(found.connect)
      coverage.push(found.coverage)
    }
    results.push({
      ...ratioResult(
        {
          id: `node.discovery_${count}_nodes.vs_bootstrap_connect`,
          baseline: `time for all ${count} nodes just to connect to the bootstrap peer`,
          target: null,
          sampleUnit: 's',
        },
        samples,
        (o, b) => o / b,
      ),
      // share of all (host, other host) pairs in each other's peer store when done
      detail: { peer_store_coverage: Number(median(coverage).toFixed(3)) },
    })
  }
  return results
}

export async function benchNode(options: BenchOptions): Promise<BenchResult[]> {
  return [...(await transfer(options)), await store(options), ...(await discovery(options))]
}
