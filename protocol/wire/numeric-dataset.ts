/**
 * Reading a committed numeric dataset back: its sealed manifest (found by the shard id the
 * ledger records), checked against the root committed on chain, then each sealed chunk.
 * Nodes read it to run a job, members to download it; both through a ShardReader.
 * @module
 */
import {
  EnvelopeAuthError,
  type EnvelopeContext,
  EnvelopeFormatError,
  type EnvelopeKey,
  openEnvelope,
  readEnvelopeHeader,
} from '../crypto/index.ts'
import {
  chunkContext,
  type DatasetManifest,
  DatasetManifestSchema,
  manifestContext,
  NumericChunkSchema,
} from './job-messages.ts'

/** Reads one shard by id: from a local store, or from the holders (hash re-checked). */
export type ShardReader = (
  shardId: string,
  holders: Array<{ identity: string; peerId: string }>,
) => Promise<Uint8Array>

export class DatasetIntegrityError extends Error {
  static override name = 'DatasetIntegrityError'
  constructor(dataset: string, problem: string) {
    super(`dataset ${dataset}: ${problem}`)
    this.name = DatasetIntegrityError.name
  }
}

/** Opens an envelope holding JSON; throws EnvelopeAuthError if it was altered or is not ours. */
export function openJson(key: EnvelopeKey, context: EnvelopeContext, bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(openEnvelope(key, context, bytes).plaintext).toString('utf8'))
}

export interface NumericDataset {
  manifest: DatasetManifest
  chunks: Array<{ values: bigint[]; salt: bigint }>
}

/**
 * Fetches and opens a dataset. DatasetIntegrityError if the manifest's root is not the
 * committed one, or a shard does not open with the project key.
 */
export async function readNumericDataset(options: {
  /**
   * The project key of a version (each shard's header names the version it was sealed
   * under: data from before a rotation stays under its old key). The caller zeroes them.
   */
  keyFor(version: number): Promise<EnvelopeKey>
  project: string
  dataset: string
  manifest: { shardId: string; holders: Array<{ identity: string; peerId: string }> }
  /** The root the ledger holds for this dataset. */
  committedRoot: string | undefined
  readShard: ShardReader
  onProgress?(done: number, total: number): void
}): Promise<NumericDataset> {
  const { project, dataset, readShard } = options
  const open = async (context: EnvelopeContext, bytes: Uint8Array) =>
    openJson(await options.keyFor(readEnvelopeHeader(bytes).keyVersion), context, bytes)
  try {
    const manifest = DatasetManifestSchema.parse(
      await open(
        manifestContext(project, dataset),
        await readShard(options.manifest.shardId, options.manifest.holders),
      ),
    )
    if (options.committedRoot !== manifest.root)
      throw new DatasetIntegrityError(dataset, "the manifest's root differs from the chain's")
    const chunks = []
    for (const [index, chunk] of manifest.chunks.entries()) {
      const bytes = await readShard(chunk.shardId, chunk.holders)
      const parsed = NumericChunkSchema.parse(
        await open(chunkContext(project, dataset, index), bytes),
      )
      chunks.push({ values: parsed.values.map(BigInt), salt: BigInt(parsed.salt) })
      options.onProgress?.(index + 1, manifest.chunks.length)
    }
    return { manifest, chunks }
  } catch (err) {
    if (err instanceof EnvelopeAuthError || err instanceof EnvelopeFormatError)
      throw new DatasetIntegrityError(dataset, `a shard does not open: ${err.message}`)
    throw err
  }
}
