/**
 * Every CLI command is a new, short-lived libp2p peer, and a team behind one NAT shares an
 * IP, as everything on loopback does. Gossipsub's default scoring graylisted such peers
 * after about 14 (IP colocation, scores kept an hour) and silently dropped their messages.
 */
import { expect, it } from 'vitest'
import { JOB_TOPIC, PeerClient } from '../protocol/wire/index.ts'
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
      for (let attempt = 0; ; attempt++) {
        const { recipients } = await client.host.services.pubsub
          .publish(JOB_TOPIC, new TextEncoder().encode(message))
          .catch(() => ({ recipients: [] }))
        if (recipients.length > 0) break
        if (attempt === 50) throw new Error(`client ${i} found no subscriber`)
        await new Promise(resolve => setTimeout(resolve, 100))
      }
      sent.push(message)
      const deadline = Date.now() + 5_000
      while (!heard.has(message) && Date.now() < deadline)
        await new Promise(resolve => setTimeout(resolve, 20))
      await client.stop()
    }
    expect([...heard].sort()).toEqual(sent.sort())
  } finally {
    await stopNodes(nodes)
    await fixture.chain.close()
  }
}, 180_000)
