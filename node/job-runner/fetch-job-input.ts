/** A job's input as the node opens it: the committed dataset's chunks, or a sum's ciphertexts. */

import { projectKeysByVersion } from '../../protocol/crypto/index.ts'
import type { JobSpec } from '../../protocol/job-kinds/index.ts'
import { datasetIdOf, type Ledger, projectIdOf } from '../../protocol/ledger/index.ts'
import {
  readNumericDataset,
  readPaillierDataset,
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
