/**
 * A dataset's own key. Each dataset's chunks are sealed with a random AES-256 key of its
 * own, kept only inside the dataset's manifest, which is sealed with the project key. The
 * project key still gates everything (no manifest, no data key), but erasing one dataset
 * no longer means rotating the key every other dataset shares: destroying every copy of
 * its manifest destroys every copy of its key, and whatever chunk copy survives anywhere
 * (a node that was down, a deleted LevelDB entry still in a file) can't be opened.
 *
 * The chunks' envelope header carries the project key version the manifest was sealed
 * under, so "which chunks predate a rotation" still reads off a chunk's header.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'
import { AES_KEY_LENGTH, type EnvelopeKey, KEY_ID_LENGTH } from '../crypto/index.ts'

/** A fresh data key, as the manifest stores it (base64). */
export function createDatasetKey(): string {
  return randomBytes(AES_KEY_LENGTH).toString('base64')
}

/** The envelope key of a dataset's chunks: its data key, named after the project and dataset. */
export function datasetEnvelopeKey(
  project: string,
  dataset: string,
  version: number,
  dataKey: string,
): EnvelopeKey {
  const id = createHash('sha256')
    .update(`sealnet/dataset-key/v1\0${project}\0${dataset}`)
    .digest()
    .subarray(0, KEY_ID_LENGTH)
  return { id, version, key: Buffer.from(dataKey, 'base64') }
}
