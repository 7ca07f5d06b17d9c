/**
 * An ONNX model as an `onnx` job takes it: a file dataset of the project, sealed like any
 * data, named by its hash so the same model is stored once. Checked here before it leaves
 * the submitter (ModelInvalidError, ModelTooLargeError, ModelInputWidthError, and
 * ModelNotApprovedError in a project with approvers), as every node checks it again.
 * @module
 */
import { readFile } from 'node:fs/promises'
import { datasetIdOf, projectIdOf, requireApprovedModel } from '../../../protocol/ledger/index.ts'
import { inspectOnnxModel, ModelInputWidthError } from '../../../protocol/models/index.ts'
import { uploadFile } from '../upload-file.ts'
import type { DatasetUpload, UploadedDataset } from './upload-dataset.ts'

/** The dataset name a model is stored under: `model-` and the first 16 hex digits of its SHA-256. */
export const onnxModelDatasetName = (sha256: string): string => `model-${sha256.slice(0, 16)}`

/**
 * The model at `path` as a dataset of the project, for a job feeding it `inputs` columns:
 * uploaded unless the project holds it already.
 */
export async function onnxModelDataset(
  options: Omit<DatasetUpload, 'dataset'> & { path: string; inputs: number },
): Promise<UploadedDataset & { sha256: string }> {
  const shape = inspectOnnxModel(await readFile(options.path))
  if (shape.width !== undefined && shape.width !== options.inputs)
    throw new ModelInputWidthError(shape.width, options.inputs)
  // a project with approvers runs approved models only: refused before it is stored
  await requireApprovedModel(
    options.ledger,
    projectIdOf(options.project),
    BigInt(`0x${shape.sha256}`),
  )
  const dataset = onnxModelDatasetName(shape.sha256)
  const held = await options.ledger.dataset(projectIdOf(options.project), datasetIdOf(dataset))
  if (held)
    return {
      dataset,
      root: held.root,
      manifest: { shardId: held.manifestShardId, holders: [...options.storage] },
      sha256: shape.sha256,
    }
  const uploaded = await uploadFile({ ...options, dataset })
  return { ...uploaded, sha256: shape.sha256 }
}
