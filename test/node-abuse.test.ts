/**
 * Malformed, oversized and unauthenticated requests against a real node: each gets a
 * typed refusal (or, for a stream that breaks the framing, an abort), and the node keeps
 * serving valid requests throughout.
 */
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectIdOf } from '../protocol/ledger/index.ts'
import {
  createHost,
  JOB_TOPIC,
  type PeerClient,
  PROTOCOLS,
  type ProtocolName,
  type SealnetHost,
} from '../protocol/wire/index.ts'
import {
  eventually,
  type OneNodeProject,
  startOneNodeProject,
  type TestNode,
} from './node-network.ts'
import { framed, sendRaw, varint } from './raw-requests.ts'

const FRAMES = Number(process.env.SEALNET_FUZZ_FRAMES ?? 3000)
const CONCURRENCY = 16

describe('a node under malformed traffic', () => {
  let network: OneNodeProject
  let nodes: TestNode[]
  let attacker: SealnetHost
  let alice: PeerClient
  const projectId = projectIdOf('abuse')

  beforeAll(async () => {
    network = await startOneNodeProject('abuse', {
      requestTimeoutMs: 2_000,
      jobs: { statsSize: 8, linearRecords: 8 },
    })
    ;({ nodes, alice } = network)
    attacker = await createHost({ dhtServer: false })
    await attacker.dial(nodes[0]!.node.host.getMultiaddrs()[0]!)
    await eventually(() => attacker.services.pubsub.getSubscribers(JOB_TOPIC).length > 0)
  }, 120_000)

  afterAll(async () => {
    await attacker?.stop()
    await network?.stop()
  })

  const send = (protocol: ProtocolName, bytes: Uint8Array, close = true) =>
    sendRaw(attacker, nodes[0]!.node.host.peerId, protocol, bytes, close)

  it('answers each kind of bad request with its typed code', async () => {
    expect(await send('shard', framed({ op: 'get' }))).toBe('malformed')
    expect(await send('shard', framed({ op: 'launch', credential: {} }))).toBe('malformed')
    expect(await send('shard', Uint8Array.of(4, 0, 0, 0, 99))).toBe('malformed')
    const forged = {
      identity: 'alice',
      peerId: attacker.peerId.toString(),
      expiresAt: Date.now() + 60_000,
      signature: randomBytes(256).toString('base64'),
    }
    expect(
      await send(
        'shard',
        framed({ op: 'get', credential: forged, projectId, shardId: 'ab'.repeat(32) }),
      ),
    ).toBe('unauthenticated')
    expect(await send('key', framed({ kind: 'project-key', credential: forged, key: {} }))).toBe(
      'malformed',
    )
    expect(await send('attest', framed({ nonce: 'not hex' }))).toBe('malformed')
    // a 100 MB length prefix is refused before a byte of it is read
    expect(await send('shard', Uint8Array.from(varint(100 * 1024 * 1024)), false)).toBe('too-large')
  })

  it(`keeps serving through ${FRAMES} random and truncated frames on every protocol and the job topic`, async () => {
    const protocols = Object.keys(PROTOCOLS) as ProtocolName[]
    const samples = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.jsonValue().map(v => framed({ op: 'put', v })),
        fc.dictionary(fc.string(), fc.jsonValue()).map(h => framed(h)),
        fc
          .tuple(fc.uint8Array({ maxLength: 256 }), fc.nat(300))
          .map(([body, cut]) => framed({ op: 'put' }, body).subarray(0, cut + 1)),
      ),
      { numRuns: FRAMES, seed: 42 },
    )
    const codes = new Map<string, number>()
    let gossiped = 0
    for (let i = 0; i < samples.length; i += CONCURRENCY) {
      const batch = samples.slice(i, i + CONCURRENCY)
      const answers = await Promise.all(
        batch.map((bytes, j) => send(protocols[(i + j) % protocols.length]!, bytes)),
      )
      // the same bytes as job announcements: gossip has no answer, the node must just drop them
      for (const bytes of batch) {
        const sent = await attacker.services.pubsub.publish(JOB_TOPIC, bytes).catch(() => undefined)
        if (sent?.recipients.length) gossiped++
      }
      for (const code of answers)
        codes.set(code ?? 'aborted', (codes.get(code ?? 'aborted') ?? 0) + 1)
    }
    expect(codes.get('internal')).toBeUndefined()
    expect(gossiped).toBeGreaterThan(FRAMES / 2)
    expect(codes.get('malformed')).toBeGreaterThan(FRAMES / 4)
    // and the node still serves real work
    const { shardId } = await alice.putShard(nodes[0]!.node.peerId, projectId, randomBytes(1000))
    expect((await alice.getShard(nodes[0]!.node.peerId, projectId, shardId)).length).toBe(1000)
    for (const protocol of protocols)
      expect(nodes[0]!.node.metrics.refusals(protocol, 'malformed'), protocol).toBeGreaterThan(0)
    expect(nodes[0]!.node.host.getConnections().length).toBeGreaterThan(0)
  })
})
