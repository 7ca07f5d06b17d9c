/**
 * Every CLI command is a new, short-lived libp2p peer, and a team behind one NAT shares an
 * IP, as everything on loopback does. Gossipsub's default scoring graylisted such peers
 * after about 14 (IP colocation, scores kept an hour) and silently dropped their messages.
 */
import { expect, it } from 'vitest'
import { JOB_TOPIC, PeerClient } from '../protocol/wire/index.ts'
import { eventually } from './eventually.ts'
import { startFixture } from './ledger-fixture.ts'
import { startNodes, stopNodes } from './node-network.ts'

it('a node hears gossip from 25 short-lived clients on one IP, one after another', async () => {
  const fixture = await startFixture({ verifier: false })
  // with a job runner, the nodes subscribe to the job topic
  const nodes = await startNodes([fixture.accounts.node1!, fixture.accounts.node2!], {
    jobs: { statsSize: 8, linearRecords: 8 },
  })
  try {
    const heard = new Set<string>()
    nodes[0]!.node.host.services.pubsub.addEventListener('message', event => {
      if (event.detail.topic === JOB_TOPIC) heard.add(new TextDecoder().decode(event.detail.data))
    })
    const sent: string[] = []
    for (let i = 0; i < 25; i++) {
      const client = new PeerClient({
        key: fixture.accounts.alice!.key,
        bootstrap: nodes.flatMap(n => n.node.multiaddrs),
      })
      await client.start()
      const message = `client ${i}`
      await eventually(
        async () => {
          const { recipients } = await client.host.services.pubsub
            .publish(JOB_TOPIC, new TextEncoder().encode(message))
            .catch(() => ({ recipients: [] }))
          return recipients.length > 0
        },
        { timeoutMs: 5_000, intervalMs: 100, what: `a subscriber for client ${i}` },
      )
      sent.push(message)
      await eventually(() => heard.has(message), {
        timeoutMs: 5_000,
        intervalMs: 20,
        what: `node heard client ${i}`,
      })
      await client.stop()
    }
    expect([...heard].sort()).toEqual(sent.sort())
  } finally {
    await stopNodes(nodes)
    await fixture.chain.close()
  }
}, 180_000)
