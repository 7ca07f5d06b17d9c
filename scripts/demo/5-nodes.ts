/** The demo, section 5: Peer nodes: she authorizes three of four, and stores the dataset on them. */

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { LedgerIdentityDirectory, shareProjectKey } from '../../client/sdk/index.ts'
import { SealnetNode } from '../../node/sealnet-node.ts'
import {
  createMasterKeyRecord,
  deriveMasterKey,
  importPublicKey,
  openObjectToBytes,
  sealObject,
  unwrapProjectKey,
} from '../../protocol/crypto/index.ts'
import { DEFAULT_VERIFIER_SIZES } from '../../protocol/ledger/index.ts'
import {
  fetchShard,
  PeerClient,
  placeShard,
  type StorageNode,
  verifyAttestation,
} from '../../protocol/wire/index.ts'
import { refused, section, sha256, step } from './progress.ts'
import type { BeforeSection5 } from './stages.ts'

export type NodesStage = Awaited<ReturnType<typeof authorizeNodes>>

export async function authorizeNodes(story: BeforeSection5) {
  const {
    alice,
    aliceLedger,
    bob,
    bobGrant,
    context,
    dataset,
    directory,
    home,
    nodeLedgers,
    ownerGrant,
    plainHash,
    projectId,
    projectKey,
    recordGrant,
  } = story
  section('5. Peer nodes: she authorizes three of four, and stores the dataset on them')
  const nodeNames = [1, 2, 3, 4].map(i => `node-${i}.sealnet.local`)
  const nodes = await step(
    'four nodes derive their keys from their node secrets, start (libp2p: TCP, Noise, Yamux, private DHT) and register their peer ids; node-4 runs in debug mode',
    async () => {
      const started: SealnetNode[] = []
      for (const [i, name] of nodeNames.entries()) {
        const key = await deriveMasterKey(`node-${i + 1} operator secret`, name)
        const node = new SealnetNode({
          key,
          dataDir: join(home, `node-${i + 1}`),
          ledger: nodeLedgers[i]!,
          bootstrap: started[0]?.multiaddrs,
          debug: i === 3,
          jobs: DEFAULT_VERIFIER_SIZES,
        })
        await node.start()
        await new LedgerIdentityDirectory(nodeLedgers[i]!, {
          kind: 'node',
          peerId: node.peerId,
        }).register(createMasterKeyRecord(key))
        started.push(node)
      }
      return started
    },
    ns => ns.map(n => `…${n.peerId.slice(-6)}`).join(', '),
  )
  // node-1 restarts later where it listened, as an operator's fixed port would
  const node1Listen = nodes[0]!.multiaddrs.map(addr => addr.split('/p2p/')[0]!)
  const aliceClient = new PeerClient({ key: alice, bootstrap: nodes[0]!.multiaddrs })
  await step('alice joins the network through node-1', () => aliceClient.start())
  const attestations = await step(
    'each node answers her fresh nonce with its measurement (hash of its code and configuration), signed by its registered key',
    () =>
      Promise.all(
        nodes.map(async (node, i) => {
          const attestation = await aliceClient.attest(node.peerId)
          const record = await directory.lookup(nodeNames[i]!)
          if (!record || !verifyAttestation(attestation, importPublicKey(record.publicKey)))
            throw new Error(`${nodeNames[i]}: attestation not signed by its registered key`)
          return attestation
        }),
      ),
    as => as.map(a => `${a.measurement.slice(0, 8)}…`).join(', '),
  )
  await step('alice allowlists the measurement of the released node build', () =>
    aliceLedger.allowMeasurement(projectId, attestations[0]!.measurement),
  )
  await step(
    'node-1..3 match it: she wraps the key to each, records the grants, delivers the keys over /sealnet/key/1',
    async () => {
      for (const i of [0, 1, 2]) {
        const grant = await shareProjectKey(directory, ownerGrant, alice.privateKey, nodeNames[i]!)
        await recordGrant(grant, nodeNames[i]!, attestations[i]!.measurement)
        await aliceClient.deliverProjectKey(nodes[i]!.peerId, grant)
      }
      return (await nodes[0]!.vault.projectKey('acme-churn')).version
    },
    version => `each node holds key version ${version}, sealed in its vault`,
  )
  const debugGrant = await shareProjectKey(directory, ownerGrant, alice.privateKey, nodeNames[3]!)
  await refused(
    'node-4 runs in debug mode, so its measurement differs: the ledger refuses a key release to it',
    'LedgerRevertError',
    () => recordGrant(debugGrant, nodeNames[3]!, attestations[3]!.measurement),
  )
  await refused(
    'and node-4 itself refuses a key the ledger has not granted it',
    'PeerRefusedError',
    () => aliceClient.deliverProjectKey(nodes[3]!.peerId, debugGrant),
  )
  const storage = nodes
    .slice(0, 3)
    .map((node, i) => ({ identity: nodeNames[i]!, peerId: node.peerId }))
  const shards = await step(
    'the dataset is sealed chunk by chunk and each chunk stored on 2 of the 3 nodes, chosen by DHT closeness',
    async () => {
      const placed: Array<{ shardId: string; holders: StorageNode[] }> = []
      for await (const envelope of sealObject(projectKey, context, await readFile(dataset)))
        placed.push(await placeShard(aliceClient, projectId, envelope, storage))
      return placed
    },
    placed =>
      `${placed.length} shards: ${placed.map(p => p.holders.map(h => h.identity.slice(5, 6)).join('+')).join(', ')}`,
  )
  await step(
    'node-1 stops; bob reads every chunk from the other replicas and opens the dataset',
    async () => {
      await nodes[0]!.stop()
      const bobClient = new PeerClient({ key: bob, bootstrap: nodes[1]!.multiaddrs })
      await bobClient.start()
      try {
        const envelopes: Uint8Array[] = []
        for (const { shardId } of shards)
          envelopes.push((await fetchShard(bobClient, projectId, shardId, storage)).shard)
        const key = unwrapProjectKey(bobGrant, bob.privateKey)
        return sha256(await openObjectToBytes(key, context, envelopes)) === plainHash
      } finally {
        await bobClient.stop()
      }
    },
    same => (same ? 'SHA-256 equal to the original' : 'MISMATCH'),
  )
  await step(
    'node-1 restarts on its data folder with every shard it held',
    async () => {
      nodes[0] = new SealnetNode({
        key: await deriveMasterKey('node-1 operator secret', nodeNames[0]!),
        dataDir: join(home, 'node-1'),
        ledger: nodeLedgers[0]!,
        bootstrap: nodes[1]!.multiaddrs,
        listen: node1Listen,
        jobs: DEFAULT_VERIFIER_SIZES,
      })
      await nodes[0].start()
      return (await nodes[0].store.list(projectId)).length
    },
    n => `${n} shards`,
  )
  const stranger = await deriveMasterKey('not on the ledger', 'mallory@elsewhere.example')
  await refused(
    'a peer whose identity is not on the ledger gets nothing',
    'PeerRefusedError',
    async () => {
      const client = new PeerClient({ key: stranger, bootstrap: nodes[1]!.multiaddrs })
      await client.start()
      try {
        await client.getShard(nodes[1]!.peerId, projectId, shards[0]!.shardId)
      } finally {
        await client.stop()
      }
    },
  )
  await step(
    'the nodes put every write and read on the ledger in batched transactions',
    async () => {
      for (const node of nodes) await node.accessLog.flush()
      const projects = aliceLedger.projects
      const batches = await projects.queryFilter(
        projects.filters.ProjectAccessBatchRecorded!(projectId),
      )
      const records = batches.reduce(
        (n, e) => n + (e as unknown as { args: { records: unknown[] } }).args.records.length,
        0,
      )
      return { batches: batches.length, records }
    },
    r => `${r.records} access records in ${r.batches} transactions`,
  )
  return { aliceClient, nodeNames, nodes, shards, storage }
}
