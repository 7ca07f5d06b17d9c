/**
 * Malformed, oversized and unauthenticated requests against a real node: each gets a
 * typed refusal (or, for a stream that breaks the framing, an abort), and the node keeps
 * serving valid requests throughout.
 */
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProjectKey, wrapProjectKey } from '../protocol/crypto/index.ts'
import { projectIdOf } from '../protocol/ledger/index.ts'
import {
  createHost,
  JOB_TOPIC,
  type PeerClient,
  PROTOCOLS,
  type ProtocolName,
  type SealnetHost,
} from '../protocol/wire/index.ts'
import { eventually } from './eventually.ts'
import { type OneNodeProject, startOneNodeProject, type TestNode } from './node-network.ts'
import { framed, sendRaw, varint } from './raw-requests.ts'

const FRAMES = Number(process.env.SEALNET_FUZZ_FRAMES ?? 3000)
const CONCURRENCY = 16
/** What a node may answer a random frame: a typed refusal (busy: the attacker's share is full), or a cut stream. */
const ALLOWED_ANSWERS = new Set(['malformed', 'unauthenticated', 'too-large', 'busy', 'aborted'])

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
    // the credential is checked from the header, before the rest of the request is read
    expect(await send('key', framed({ kind: 'project-key', credential: forged, key: {} }))).toBe(
      'unauthenticated',
    )
    expect(await send('key', framed({ kind: 'project-key', key: {} }))).toBe('malformed')
    expect(await send('attest', framed({ nonce: 'not hex' }))).toBe('malformed')
    // a key for a project named to shadow another's vault entries (`abuse\0x`) is malformed
    const node = nodes[0]!
    await expect(
      alice.deliverProjectKey(
        node.node.peerId,
        wrapProjectKey(createProjectKey('abuse\0x'), node.account.key.publicKey),
      ),
    ).rejects.toMatchObject({ name: 'PeerRefusedError', code: 'malformed' })
    await expect(node.node.vault.projectKey('abuse\0x')).rejects.toMatchObject({
      name: 'InvalidNameError',
    })
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
    const metrics = nodes[0]!.node.metrics
    const malformedBefore = new Map(protocols.map(p => [p, metrics.refusals(p, 'malformed')]))
    const malformedSent = new Map(protocols.map(p => [p, 0]))
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
      answers.forEach((code, j) => {
        codes.set(code ?? 'aborted', (codes.get(code ?? 'aborted') ?? 0) + 1)
        const protocol = protocols[(i + j) % protocols.length]!
        if (code === 'malformed') malformedSent.set(protocol, malformedSent.get(protocol)! + 1)
      })
    }
    // every frame got a refusal of the expected kinds, or its stream was cut: no 'internal'
    expect([...codes.keys()].filter(c => !ALLOWED_ANSWERS.has(c))).toEqual([])
    expect([...codes.values()].reduce((a, n) => a + n, 0)).toBe(FRAMES)
    // gossipsub drops a repeated message by its id: each distinct frame reached the node once
    expect(gossiped).toBe(new Set(samples.map(b => Buffer.from(b).toString('hex'))).size)
    // the node counted exactly the malformed refusals the attacker saw, per protocol
    for (const protocol of protocols)
      expect(
        metrics.refusals(protocol, 'malformed') - malformedBefore.get(protocol)!,
        protocol,
      ).toBe(malformedSent.get(protocol))
    // and the node still serves real work, over the member's own connection
    const bytes = randomBytes(1000)
    const { shardId } = await alice.putShard(nodes[0]!.node.peerId, projectId, bytes)
    expect(Buffer.from(await alice.getShard(nodes[0]!.node.peerId, projectId, shardId))).toEqual(
      bytes,
    )
    expect(nodes[0]!.node.host.getConnections(alice.host.peerId)).toHaveLength(1)
  })
})
