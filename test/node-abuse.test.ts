/**
 * Malformed, oversized and unauthenticated requests against a real node: each gets a
 * typed refusal (or, for a stream that breaks the framing, an abort), and the node keeps
 * serving valid requests throughout.
 */
import { randomBytes } from 'node:crypto'
import { lpStream } from '@libp2p/utils'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectIdOf } from '../protocol/ledger/index.ts'
import {
  createHost,
  encodeFrame,
  type PeerClient,
  PROTOCOLS,
  type ProtocolName,
  RefusalSchema,
  type SealnetHost,
} from '../protocol/wire/index.ts'
import { type OneNodeProject, startOneNodeProject, type TestNode } from './node-network.ts'

const FRAMES = Number(process.env.SEALNET_FUZZ_FRAMES ?? 3000)
const CONCURRENCY = 16

describe('a node under malformed traffic', () => {
  let network: OneNodeProject
  let nodes: TestNode[]
  let attacker: SealnetHost
  let alice: PeerClient
  const projectId = projectIdOf('abuse')

  beforeAll(async () => {
    network = await startOneNodeProject('abuse', { requestTimeoutMs: 2_000 })
    ;({ nodes, alice } = network)
    attacker = await createHost({ dhtServer: false })
    await attacker.dial(nodes[0]!.node.host.getMultiaddrs()[0]!)
  }, 120_000)

  afterAll(async () => {
    await attacker?.stop()
    await network?.stop()
  })

  /** Sends raw bytes on a fresh stream and returns the refusal code, or undefined if none came. */
  async function send(
    protocol: ProtocolName,
    bytes: Uint8Array,
    close = true,
  ): Promise<string | undefined> {
    const stream = await attacker.dialProtocol(nodes[0]!.node.host.peerId, PROTOCOLS[protocol])
    try {
      stream.send(bytes)
      if (close) await stream.close({ signal: AbortSignal.timeout(3_000) }).catch(() => {})
      const answer = await lpStream(stream).read({ signal: AbortSignal.timeout(3_000) })
      const text = Buffer.from(answer.subarray()).subarray(4).toString('utf8')
      return RefusalSchema.parse(JSON.parse(text)).code
    } catch {
      return undefined
    } finally {
      stream.abort(new Error('done'))
    }
  }

  const framed = (header: object, body?: Uint8Array) => {
    const frame = Buffer.concat(encodeFrame(header, body))
    const length = Buffer.from(varint(frame.length))
    return new Uint8Array(Buffer.concat([length, frame]))
  }

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
      await send('shard', framed({ op: 'get', credential: forged, shardId: 'ab'.repeat(32) })),
    ).toBe('unauthenticated')
    expect(await send('key', framed({ kind: 'project-key', credential: forged, key: {} }))).toBe(
      'malformed',
    )
    expect(await send('attest', framed({ nonce: 'not hex' }))).toBe('malformed')
    // a 100 MB length prefix is refused before a byte of it is read
    expect(await send('shard', Uint8Array.from(varint(100 * 1024 * 1024)), false)).toBe('too-large')
  })

  it(`keeps serving through ${FRAMES} random and truncated frames`, async () => {
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
    for (let i = 0; i < samples.length; i += CONCURRENCY) {
      const batch = samples.slice(i, i + CONCURRENCY)
      const answers = await Promise.all(
        batch.map((bytes, j) => send(protocols[(i + j) % 3]!, bytes)),
      )
      for (const code of answers)
        codes.set(code ?? 'aborted', (codes.get(code ?? 'aborted') ?? 0) + 1)
    }
    expect(codes.get('internal')).toBeUndefined()
    expect(codes.get('malformed')).toBeGreaterThan(FRAMES / 4)
    // and the node still serves real work
    const { shardId } = await alice.putShard(nodes[0]!.node.peerId, projectId, randomBytes(1000))
    expect((await alice.getShard(nodes[0]!.node.peerId, shardId)).length).toBe(1000)
    expect(nodes[0]!.node.metrics.refusals('shard', 'malformed')).toBeGreaterThan(0)
    expect(nodes[0]!.node.host.getConnections().length).toBeGreaterThan(0)
  })
})

function varint(value: number): number[] {
  const out: number[] = []
  let rest = value
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80)
    rest = Math.floor(rest / 128)
  }
  out.push(rest)
  return out
}
