/**
 * `sealnet project rekey`: re-seals datasets under the project's current key version, so
 * data written before a rotation stops depending on the old key.
 *
 * Per dataset whose manifest is under an older version: every chunk is opened with the
 * dataset's data key and sealed again under a fresh one (same context, same plaintext, so
 * the same commitment) and placed; then a new manifest holding the new data key is sealed
 * under the current version and placed, and the chain is pointed at it (resealDataset). The
 * old shards are deleted only after that: every reader always finds a manifest whose
 * chunks exist and open with a key it holds, so there is no window where the data is
 * readable by neither version. A journal file records each finished step, so a run that
 * was interrupted is run again and skips what is done.
 * @module
 */
import { mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  type EnvelopeKey,
  fromBase64,
  openEnvelope,
  sealEnvelope,
  toBase64,
  utf8,
} from '../../protocol/crypto/index.ts'
import { datasetIdOf, type Ledger } from '../../protocol/ledger/index.ts'
import {
  chunkContext,
  createDatasetKey,
  type DatasetManifest,
  datasetEnvelopeKey,
  fetchShard,
  manifestContext,
  type PeerClient,
  placeShard,
  readDatasetManifest,
  type StorageNode,
} from '../../protocol/wire/index.ts'
import { writeFileAtomic } from './atomic-file.ts'
import { UnknownDatasetError } from './errors.ts'
import { everyProjectNode, type ProjectOverview } from './project-overview.ts'

type Holders = DatasetManifest['chunks'][number]['holders']

/** What a run has finished, per dataset, for the key version it re-seals to. */
interface RekeyJournal {
  project: string
  keyVersion: number
  datasets: Record<
    string,
    {
      /** Re-sealed chunks by index: their new shards. */
      chunks: Record<string, { shardId: string; holders: Holders }>
      /** The new data key, sealed under the current project key version (base64). */
      dataKey?: string
      /** The new manifest shard, once the chain points at it. */
      manifest?: string
      /** Shards of the old version still to delete (after the switch). */
      stale: Array<{ shardId: string; holders: Holders }>
    }
  >
}

export interface RekeyProgress {
  dataset: string
  /** Chunks re-sealed (or found current) so far, of `total`. */
  done: number
  total: number
}

export interface RekeyedDataset {
  dataset: string
  chunks: number
  /** Chunks sealed again in this run (0 when it was current already). */
  resealed: number
  /** The manifest shard the chain now names. */
  manifest: string
  /** Old shards deleted from the nodes; those that could not be are retried by the next run. */
  deleted: number
  deleteFailures: string[]
}

async function readJournal(path: string, project: string, keyVersion: number) {
  try {
    const journal = JSON.parse(await readFile(path, 'utf8')) as RekeyJournal
    // a journal for another rotation describes shards that are stale now
    if (journal.project === project && journal.keyVersion === keyVersion) return journal
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  return { project, keyVersion, datasets: {} } satisfies RekeyJournal
}

/** Deletes `shards` from their holders; what could not be deleted stays in the list. */
async function deleteStale(
  client: PeerClient,
  projectId: string,
  entry: RekeyJournal['datasets'][string],
): Promise<{ deleted: number; failures: string[] }> {
  let deleted = 0
  const failures: string[] = []
  const left: typeof entry.stale = []
  for (const shard of entry.stale) {
    const missed: Holders = []
    for (const holder of shard.holders) {
      try {
        await client.deleteShard(holder.peerId, projectId, shard.shardId)
        deleted++
      } catch (err) {
        // already gone is what we wanted
        if ((err as { code?: string }).code === 'not-found') continue
        missed.push(holder)
        failures.push(
          `${shard.shardId.slice(0, 12)}… on ${holder.identity}: ${(err as Error).message}`,
        )
      }
    }
    if (missed.length > 0) left.push({ shardId: shard.shardId, holders: missed })
  }
  entry.stale = left
  return { deleted, failures }
}

/**
 * Re-seals the named datasets of `project` under its current key version. Throws
 * UnknownDatasetError for a name the chain does not have, before anything changes.
 * @example await rekeyProject({ client, ledger, project: overview, datasets: ['spend'], keyFor, storage, journal })
 */
export async function rekeyProject(options: {
  client: PeerClient
  ledger: Ledger
  project: ProjectOverview
  datasets: readonly string[]
  /** The project key of each version: old ones to open, the current one to seal. */
  keyFor(version: number): Promise<EnvelopeKey>
  storage: readonly StorageNode[]
  /** Where the run records what it finished (JSON). */
  journal: string
  onProgress?(progress: RekeyProgress): void
}): Promise<RekeyedDataset[]> {
  const { client, ledger, project, storage } = options
  const { name, projectId, keyVersion } = project
  const committed = new Map<string, { root: string; manifestShardId: string }>()
  for (const dataset of options.datasets) {
    const found = await ledger.dataset(projectId, datasetIdOf(dataset))
    if (!found) throw new UnknownDatasetError(name, dataset)
    committed.set(dataset, found)
  }
  const current = await options.keyFor(keyVersion)
  const journal = await readJournal(options.journal, name, keyVersion)
  await mkdir(dirname(options.journal), { recursive: true, mode: 0o700 })
  const save = () => writeFileAtomic(options.journal, `${JSON.stringify(journal, null, 2)}\n`)
  const read = async (shardId: string, holders: readonly StorageNode[]) =>
    (await fetchShard(client, project.projectId, shardId, holders)).shard
  const report: RekeyedDataset[] = []
  for (const [dataset, { root, manifestShardId }] of committed) {
    journal.datasets[dataset] ??= { chunks: {}, stale: [] }
    const entry = journal.datasets[dataset]!
    // the manifest is opened with the key its header names: that version says if it is current
    let manifestVersion = 0
    const manifest = await readDatasetManifest({
      keyFor: version => {
        manifestVersion = version
        return options.keyFor(version)
      },
      project: name,
      dataset,
      manifest: { shardId: manifestShardId, holders: [...storage] },
      committedRoot: root,
      readShard: read,
    })
    const total = manifest.chunks.length
    let resealed = 0
    if (entry.manifest !== manifestShardId && manifestVersion === keyVersion)
      entry.manifest = manifestShardId
    if (entry.manifest !== manifestShardId) {
      // the new data key outlives an interruption only sealed, in the journal
      const keyContext = { projectId: name, objectId: `rekey-data-key:${dataset}`, chunkIndex: 0 }
      entry.dataKey ??= toBase64(sealEnvelope(current, keyContext, utf8(createDatasetKey())))
      const dataKey = Buffer.from(
        openEnvelope(current, keyContext, fromBase64(entry.dataKey, 'journal data key')).plaintext,
      ).toString('utf8')
      const oldKey = datasetEnvelopeKey(name, dataset, manifestVersion, manifest.dataKey)
      const newKey = datasetEnvelopeKey(name, dataset, keyVersion, dataKey)
      const chunks: DatasetManifest['chunks'] = []
      for (const [index, chunk] of manifest.chunks.entries()) {
        if (!entry.chunks[index]) {
          const context = chunkContext(name, dataset, index)
          const bytes = await read(chunk.shardId, chunk.holders)
          const again = sealEnvelope(
            newKey,
            context,
            openEnvelope(oldKey, context, bytes).plaintext,
          )
          const placed = await placeShard(client, projectId, again, storage)
          entry.chunks[index] = { shardId: placed.shardId, holders: placed.holders }
          resealed++
          await save()
        }
        chunks.push({ ...chunk, ...entry.chunks[index]! })
        options.onProgress?.({ dataset, done: index + 1, total })
      }
      const sealed = sealEnvelope(
        current,
        manifestContext(name, dataset),
        utf8(JSON.stringify({ ...manifest, dataKey, chunks })),
      )
      const placed = await placeShard(client, projectId, sealed, storage)
      await ledger.resealDataset(projectId, datasetIdOf(dataset), placed.shardId)
      entry.manifest = placed.shardId
      // the old manifest was placed on the nodes of its day: revoked ones too
      entry.stale.push(...manifest.chunks.map(c => ({ shardId: c.shardId, holders: c.holders })), {
        shardId: manifestShardId,
        holders: everyProjectNode(project, storage),
      })
      entry.chunks = {}
      delete entry.dataKey
      await save()
    } else options.onProgress?.({ dataset, done: total, total })
    const { deleted, failures } = await deleteStale(client, project.projectId, entry)
    await save()
    report.push({
      dataset,
      chunks: total,
      resealed,
      manifest: entry.manifest!,
      deleted,
      deleteFailures: failures,
    })
  }
  return report
}
