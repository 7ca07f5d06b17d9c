import { describe, expect, it } from 'vitest'
import type { JobSpec, NumericDataset } from '../../protocol/wire/index.ts'
import { computeJob, ProverCache } from './compute-job.ts'

const base = {
  jobId: `0x${'11'.repeat(32)}`,
  project: 'p',
  dataset: 'd',
  manifest: { shardId: 'aa'.repeat(32), holders: [{ identity: 'n', peerId: 'x' }] },
  submitter: 'bob',
}
const STATS: JobSpec = { ...base, kind: 'stats', threshold: '0' }
const LINEAR: JobSpec = {
  ...base,
  kind: 'linear',
  model: { weights: ['1', '2', '3', '4'], bias: '0' },
  modelSalt: '5',
}
const SIZES = { statsSize: 8, linearRecords: 8 }

function dataset(chunkSize: number, features?: number): NumericDataset {
  return {
    manifest: { dataset: 'd', chunkSize, features, root: `0x${'00'.repeat(32)}`, chunks: [] },
    chunks: [{ values: [1n, 2n, 3n, 4n], salt: 1n }],
  }
}

describe('computeJob refuses a dataset of the wrong shape before proving', () => {
  const refusal = (message: RegExp) =>
    expect.objectContaining({ name: 'DatasetShapeError', message: expect.stringMatching(message) })

  it('names what the job takes and what the dataset holds', async () => {
    const provers = new ProverCache()
    await expect(computeJob(STATS, dataset(8, 4), SIZES, provers)).rejects.toEqual(
      refusal(/a stats job takes a single column; it holds records of 4 features/),
    )
    await expect(computeJob(LINEAR, dataset(8), SIZES, provers)).rejects.toEqual(
      refusal(/a linear job takes records of 4 features; it holds a single column/),
    )
    await expect(computeJob(STATS, dataset(32), SIZES, provers)).rejects.toEqual(
      refusal(/its chunks hold 32 values; the chain checks chunks of 8/),
    )
    await expect(computeJob(LINEAR, dataset(16, 4), SIZES, provers)).rejects.toEqual(
      refusal(/its chunks hold 16 records; the chain checks chunks of 8/),
    )
  })
})
