/** The shared libp2p stack: private networks (pnet) and job announcements (gossipsub). */
import { generateKey } from '@libp2p/pnet'
import { afterEach, describe, expect, it } from 'vitest'
import * as z from 'zod'
import {
  createHost,
  gossipMessageId,
  JOB_TOPIC,
  MAX_HEADER_BYTES,
  type SealnetHost,
  sendRequest,
  serveRequest,
} from '../protocol/wire/index.ts'
import { eventually } from './eventually.ts'

function swarmKey(): Uint8Array {
  const key = new Uint8Array(95)
  generateKey(key)
  return key
}

describe('the Sealnet libp2p host', () => {
  const hosts: SealnetHost[] = []
  const start = async (init: Parameters<typeof createHost>[0] = {}) => {
    const host = await createHost(init)
    hosts.push(host)
    return host
  }
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map(h => h.stop()))
  })

  it('with a swarm key, connects only to peers holding the same key', async () => {
    const psk = swarmKey()
    const a = await start({ psk })
    const b = await start({ psk })
    const outsider = await start({ psk: swarmKey() })
    const open = await start()
    await b.dial(a.getMultiaddrs()[0]!)
    expect(b.getPeers().map(String)).toContain(a.peerId.toString())
    await expect(
      outsider.dial(a.getMultiaddrs()[0]!, { signal: AbortSignal.timeout(5_000) }),
    ).rejects.toThrow()
    await expect(
      open.dial(a.getMultiaddrs()[0]!, { signal: AbortSignal.timeout(5_000) }),
    ).rejects.toThrow()
    expect(a.getPeers().map(String)).toEqual([b.peerId.toString()])
  })

  it('delivers a job announcement once to every subscriber, with the shared message id', async () => {
    const a = await start()
    const b = await start({ bootstrap: a.getMultiaddrs().map(String) })
    const c = await start({ bootstrap: a.getMultiaddrs().map(String) })
    const received: Array<{ host: string; id: string; text: string }> = []
    for (const host of [a, b]) {
      host.services.pubsub.subscribe(JOB_TOPIC)
      host.services.pubsub.addEventListener('gossipsub:message', event => {
        const text = new TextDecoder().decode(event.detail.msg.data)
        received.push({ host: host.peerId.toString(), id: event.detail.msgId, text })
      })
    }
    c.services.pubsub.subscribe(JOB_TOPIC)
    await eventually(() => c.services.pubsub.getSubscribers(JOB_TOPIC).length >= 2)
    const data = new TextEncoder().encode('sealed job spec')
    await c.services.pubsub.publish(JOB_TOPIC, data)
    // a second message, sent after it, marks the end: once both hosts heard it, any
    // duplicate of the first would have arrived already over the same streams
    await c.services.pubsub.publish(JOB_TOPIC, new TextEncoder().encode('end'))
    await eventually(() => received.filter(r => r.text === 'end').length === 2)
    const first = received.filter(r => r.text === 'sealed job spec')
    expect(first).toHaveLength(2)
    expect(new Set(first.map(r => r.host)).size).toBe(2)
    // gossipsub prints ids as unpadded base64
    const expectedId = Buffer.from(gossipMessageId({ data })).toString('base64').replace(/=+$/, '')
    expect(new Set(first.map(r => r.id))).toEqual(new Set([expectedId]))
  })

  it('answers with an internal refusal, not a reset stream, when its own answer is too large to send', async () => {
    const a = await start()
    const b = await start()
    await a.handle('/sealnet-test/oversized/1', stream =>
      serveRequest(
        stream,
        async () => ({ header: { ok: true, pad: 'x'.repeat(MAX_HEADER_BYTES) } }),
        {
          maxFrameBytes: MAX_HEADER_BYTES,
          timeoutMs: 5_000,
        },
      ),
    )
    const stream = await b.dialProtocol(a.getMultiaddrs()[0]!, '/sealnet-test/oversized/1')
    await expect(
      sendRequest(stream, 'a', {}, undefined, {
        answer: z.object({}),
        maxAnswerBytes: 65_536,
        timeoutMs: 5_000,
      }),
    ).rejects.toThrow(expect.objectContaining({ name: 'PeerRefusedError', code: 'internal' }))
  })
})
