/**
 * `sealnet project repair`: a dataset whose chunks lost replicas (a node gone for good)
 * gets them back, on the next closest live nodes, before a second loss can lose data.
 *
 * A project admin runs it, not the nodes. Only a key holder can open a manifest and know
 * which shards make a dataset and where they were placed, and only a person can tell a
 * node gone for good from one down for an hour (re-replicating on every outage would
 * move data for nothing). Nothing is decrypted: a chunk is copied as the sealed shard it
 * is, so its id and commitment stay; the receiving node records the put as an access
 * (a write), like any upload, in its next batch on chain.
 *
 * Per chunk, each recorded holder is asked for the shard (its bytes checked against the
 * id); those that serve it stay holders. Short of `replication`, the shard is put on the
 * live nodes closest to it that lack it. If any chunk's holders changed, the manifest is
 * sealed again under the key version it was under (the chunks' key derives from it) and
 * placed, and the chain is pointed at it (resealDataset); otherwise the manifest's own
 * copies are topped up. Running it again finds nothing to do.
 * @module
 */
import {
  type EnvelopeKey,
  readEnvelopeHeader,
  sealEnvelope,
  utf8,
} from '../../protocol/crypto/index.ts'
import { datasetIdOf, type Ledger } from '../../protocol/ledger/index.ts'
import {
  type DatasetManifest,
  DEFAULT_REPLICATION,
  fetchShard,
  manifestContext,
  type PeerClient,
  placeShard,
  rankByCloseness,
  readDatasetManifest,
  type StorageNode,
} from '../../protocol/wire/index.ts'
import { UnknownDatasetError } from './errors.ts'
import type { ProjectOverview } from './project-overview.ts'

export interface RepairedDataset {
  dataset: string
  chunks: number
  /** Chunks that had fewer than `replication` live copies and got them back. */
  repaired: number
  /** Copies placed by this run. */
  copies: number
  /** Chunks no live node serves: lost, unless a node holding them comes back. */
  lost: number[]
  /** The manifest shard the chain names after the run (a new one if holders changed). */
  manifest: string
}

/** The nodes of `storage` that answer at all (an attestation), probed at once. */
export async function liveNodes(
  client: PeerClient,
  storage: readonly StorageNode[],
): Promise<StorageNode[]> {
  const answered = await Promise.allSettled(storage.map(n => client.attest(n.peerId)))
  return storage.filter((_, i) => answered[i]!.status === 'fulfilled')
}

export async function repairDataset(options: {
  client: PeerClient
  ledger: Ledger
  project: ProjectOverview
  dataset: string
  /** The project key of a version: the manifest is opened and sealed again with its own. */
  keyFor(version: number): Promise<EnvelopeKey>
  /** The project's nodes that answer (liveNodes): repair copies go to these. */
  live: readonly StorageNode[]
  replication?: number
  onProgress?(done: number, total: number): void
}): Promise<RepairedDataset> {
  const { client, ledger, project, dataset, live } = options
  const replication = options.replication ?? DEFAULT_REPLICATION
  const committed = await ledger.dataset(project.projectId, datasetIdOf(dataset))
  if (!committed) throw new UnknownDatasetError(project.name, dataset)
  let manifestBytes: Uint8Array | undefined
  const manifest = await readDatasetManifest({
    keyFor: options.keyFor,
    project: project.name,
    dataset,
    manifest: { shardId: committed.manifestShardId, holders: [...live] },
    committedRoot: committed.root,
    readShard: async (shardId, holders, projectId) => {
      manifestBytes = (await fetchShard(client, projectId, shardId, holders)).shard
      return manifestBytes
    },
  })
  const lost: number[] = []
  let repaired = 0
  let copies = 0
  const chunks: DatasetManifest['chunks'] = []
  for (const [index, chunk] of manifest.chunks.entries()) {
    const serving: StorageNode[] = []
    let bytes: Uint8Array | undefined
    for (const holder of chunk.holders) {
      if (!live.some(n => n.peerId === holder.peerId)) continue
      const got = await client
        .getShard(holder.peerId, project.projectId, chunk.shardId)
        .catch(() => undefined)
      if (!got) continue
      serving.push(holder)
      bytes = got
    }
    if (!bytes) lost.push(index)
    // copies on the live nodes closest to the shard that lack it, until `replication`
    const placed: StorageNode[] = []
    const candidates = rankByCloseness(
      chunk.shardId,
      live.filter(n => !serving.some(s => s.peerId === n.peerId)),
    )
    for (const node of candidates) {
      if (!bytes || serving.length + placed.length >= replication) break
      const put = await client.putShard(node.peerId, project.projectId, bytes).then(
        () => true,
        () => false,
      )
      if (put) placed.push(node)
    }
    copies += placed.length
    if (placed.length) repaired++
    chunks.push(placed.length ? { ...chunk, holders: [...serving, ...placed] } : chunk)
    options.onProgress?.(index + 1, manifest.chunks.length)
  }
  let manifestShardId = committed.manifestShardId
  if (repaired > 0) {
    const version = readEnvelopeHeader(manifestBytes!).keyVersion
    const sealed = sealEnvelope(
      await options.keyFor(version),
      manifestContext(project.name, dataset),
      utf8(JSON.stringify({ ...manifest, chunks })),
    )
    const placed = await placeShard(client, project.projectId, sealed, live, replication)
    await ledger.resealDataset(project.projectId, datasetIdOf(dataset), placed.shardId)
    manifestShardId = placed.shardId
  } else await placeShard(client, project.projectId, manifestBytes!, live, replication)
  return {
    dataset,
    chunks: manifest.chunks.length,
    repaired,
    copies,
    lost,
    manifest: manifestShardId,
  }
}
