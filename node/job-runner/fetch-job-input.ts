/** A job's input as the node opens it: the committed dataset's chunks, or a sum's ciphertexts. */

import { projectKeysByVersion } from '../../protocol/crypto/index.ts'
import { type JobSpec, jobKindNamed } from '../../protocol/job-kinds/index.ts'
import { datasetIdOf, type Ledger, projectIdOf } from '../../protocol/ledger/index.ts'
import {
  MAX_ONNX_MODEL_BYTES,
  ModelHashMismatchError,
  ModelInvalidError,
  ModelTooLargeError,
} from '../../protocol/models/index.ts'
import {
  type DatasetReadOptions,
  readDatasetManifest,
  readFileDataset,
  readNumericDataset,
  readPaillierDataset,
  readTableDataset,
  type ShardReader,
} from '../../protocol/wire/index.ts'
import type { JobInput } from '../job-kinds/index.ts'
import type { KeyVault } from '../key-vault/index.ts'

export interface JobInputSources {
  vault: KeyVault
  ledger: Ledger
  readShard: ShardReader
}

/** Opens the job's dataset, or each dataset of a sum, checked against the root on chain. */
export async function fetchJobInput(spec: JobSpec, deps: JobInputSources): Promise<JobInput> {
  const keys = projectKeysByVersion(version => deps.vault.projectKey(spec.project, version))
  const source = async (dataset: string, manifest: JobSpec['manifest']) => ({
    keyFor: keys.keyFor,
    project: spec.project,
    dataset,
    manifest,
    committedRoot: await deps.ledger.datasetRoot(projectIdOf(spec.project), datasetIdOf(dataset)),
    readShard: deps.readShard,
  })
  try {
    const shape = jobKindNamed(spec.kind).input
    if (shape === 'table')
      return {
        kind: 'table',
        dataset: await readTableDataset(await source(spec.dataset, spec.manifest)),
        model:
          spec.kind === 'onnx'
            ? await readModel(
                await source(spec.model.dataset, spec.model.manifest),
                spec.model.sha256,
              )
            : undefined,
      }
    if (spec.kind !== 'sum')
      return {
        kind: 'numeric',
        dataset: await readNumericDataset(await source(spec.dataset, spec.manifest)),
      }
    const datasets = []
    for (const input of [{ dataset: spec.dataset, manifest: spec.manifest }, ...spec.more])
      datasets.push(await readPaillierDataset(await source(input.dataset, input.manifest)))
    return { kind: 'paillier', datasets }
  } finally {
    keys.release()
  }
}

/**
 * An onnx job's model: a file dataset whose manifest states the SHA-256 the spec names
 * and a size a node loads; refused before any chunk is fetched otherwise.
 */
async function readModel(source: DatasetReadOptions, sha256: string): Promise<Uint8Array> {
  const manifest = await readDatasetManifest(source)
  if (!manifest.file) throw new ModelInvalidError(`dataset ${source.dataset} is not a file`)
  if (manifest.file.bytes > MAX_ONNX_MODEL_BYTES)
    throw new ModelTooLargeError(manifest.file.bytes, MAX_ONNX_MODEL_BYTES)
  if (manifest.file.sha256 !== sha256)
    throw new ModelHashMismatchError(sha256, manifest.file.sha256)
  const chunks: Uint8Array[] = []
  await readFileDataset({ ...source, opened: manifest }, bytes => {
    chunks.push(bytes)
  })
  return Buffer.concat(chunks)
}
