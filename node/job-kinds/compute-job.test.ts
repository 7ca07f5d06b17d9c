import { describe, expect, it } from 'vitest'
import {
  decryptPaillier,
  encryptPaillier,
  generatePaillierKeys,
  type PaillierPublicKey,
} from '../../protocol/crypto/index.ts'
import type { JobSpec } from '../../protocol/job-kinds/index.ts'
import { createDatasetKey, type PaillierDataset, sumResultHash } from '../../protocol/wire/index.ts'
import { computeJob, type JobInput, ProverCache } from './index.ts'

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
const SUM: JobSpec = { ...base, kind: 'sum', more: [] }
const SIZES = { statsSize: 8, linearRecords: 8 }
const ROOT = `0x${'00'.repeat(32)}`
const DATA_KEY = createDatasetKey()

function dataset(chunkSize: number, features?: number, chunkCount = 1): JobInput {
  const chunk = { shardId: 'bb'.repeat(32), commitment: ROOT, holders: [] }
  return {
    kind: 'numeric',
    dataset: {
      manifest: {
        dataset: 'd',
        chunkSize,
        features,
        dataKey: DATA_KEY,
        root: ROOT,
        chunks: Array(chunkCount).fill(chunk),
      },
      chunks: [{ values: [1n, 2n, 3n, 4n], salt: 1n }],
    },
  }
}

function encrypted(
  name: string,
  publicKey: PaillierPublicKey,
  chunks: bigint[][],
): PaillierDataset {
  return {
    manifest: {
      dataset: name,
      chunkSize: 2,
      paillier: { n: publicKey.n.toString(16) },
      dataKey: DATA_KEY,
      root: ROOT,
      chunks: [],
    },
    publicKey,
    chunks: chunks.map(values => values.map(v => encryptPaillier(publicKey, v))),
  }
}

describe('computeJob for a sum', () => {
  it('adds every ciphertext of every dataset; the hash binds the encrypted total and the count', async () => {
    const { publicKey, privateKey } = await generatePaillierKeys(512)
    const input: JobInput = {
      kind: 'paillier',
      datasets: [encrypted('a', publicKey, [[5n, -2n], [10n]]), encrypted('b', publicKey, [[7n]])],
    }
    const computed = await computeJob(SUM, input, SIZES, new ProverCache())
    if (!('total' in computed.result)) throw new Error('not a sum result')
    expect(computed.result.count).toBe(4)
    expect(decryptPaillier(privateKey, BigInt(`0x${computed.result.total}`))).toBe(20n)
    expect(computed.resultHash).toBe(sumResultHash(computed.result.total, 4))
    expect(computed.proof).toBe('0x')
  })

  it('refuses datasets under different keys, and input of the wrong kind', async () => {
    const [one, two] = await Promise.all([generatePaillierKeys(512), generatePaillierKeys(512)])
    const input: JobInput = {
      kind: 'paillier',
      datasets: [encrypted('a', one.publicKey, [[1n]]), encrypted('b', two.publicKey, [[2n]])],
    }
    await expect(computeJob(SUM, input, SIZES, new ProverCache())).rejects.toEqual(
      expect.objectContaining({
        name: 'DatasetShapeError',
        message: expect.stringMatching(/b can't be used.*another Paillier key than a's/),
      }),
    )
    await expect(computeJob(STATS, input, SIZES, new ProverCache())).rejects.toThrow(TypeError)
    await expect(computeJob(SUM, dataset(8), SIZES, new ProverCache())).rejects.toThrow(TypeError)
  })
})

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
      refusal(/its chunks hold 32 values; the chain checks stats chunks of 8/),
    )
    await expect(computeJob(LINEAR, dataset(16, 4), SIZES, provers)).rejects.toEqual(
      refusal(/its chunks hold 16 records; the chain checks linear chunks of 8/),
    )
    // more chunks than one completion can carry on chain: refused before any proof
    await expect(computeJob(STATS, dataset(8, undefined, 101), SIZES, provers)).rejects.toEqual(
      refusal(/it has 101 chunks; one stats job's completion checks at most 100 chunk proofs/),
    )
  })
})
