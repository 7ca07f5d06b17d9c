import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  ciphertextToHex,
  createProjectKey,
  encryptPaillier,
  generatePaillierKeys,
  type PaillierKeyPair,
  sealEnvelope,
  utf8,
} from '../crypto/index.ts'
import { datasetRoot } from '../proof/dataset-root.ts'
import { createDatasetKey, datasetEnvelopeKey } from './dataset-key.ts'
import { chunkContext, type DatasetManifest, manifestContext } from './job-messages.ts'
import {
  addPaillierDatasets,
  paillierChunkCommitment,
  readPaillierDataset,
  sumInputCommitment,
  sumResultHash,
} from './paillier-dataset.ts'

const project = 'p'
const projectKey = createProjectKey(project)
const HOLDERS = [{ identity: 'n', peerId: 'x' }]

/** An in-memory store of sealed shards, and a dataset written to it as the SDK writes one. */
function store() {
  const shards = new Map<string, Uint8Array>()
  const put = (bytes: Uint8Array) => {
    const id = createHash('sha256').update(bytes).digest('hex')
    shards.set(id, bytes)
    return id
  }
  const write = (dataset: string, chunks: string[][], edit?: (m: DatasetManifest) => void) => {
    const dataKey = createDatasetKey()
    const chunkKey = datasetEnvelopeKey(project, dataset, projectKey.version, dataKey)
    const entries = chunks.map((ciphertexts, index) => ({
      shardId: put(
        sealEnvelope(
          chunkKey,
          chunkContext(project, dataset, index),
          utf8(JSON.stringify({ ciphertexts })),
        ),
      ),
      commitment: String(paillierChunkCommitment(ciphertexts)),
      holders: HOLDERS,
    }))
    const manifest: DatasetManifest = {
      dataset,
      chunkSize: 2,
      paillier: { n: keys.publicKey.n.toString(16) },
      dataKey,
      root: datasetRoot(entries.map(e => BigInt(e.commitment))),
      chunks: entries,
    }
    edit?.(manifest)
    const shardId = put(
      sealEnvelope(projectKey, manifestContext(project, dataset), utf8(JSON.stringify(manifest))),
    )
    return {
      keyFor: async () => projectKey,
      project,
      dataset,
      manifest: { shardId, holders: HOLDERS },
      committedRoot: manifest.root,
      readShard: async (id: string) => shards.get(id)!,
    }
  }
  return { shards, write }
}

let keys: PaillierKeyPair
const encrypt = (values: bigint[]) =>
  values.map(v => ciphertextToHex(keys.publicKey, encryptPaillier(keys.publicKey, v)))

describe('sum datasets', () => {
  beforeAll(async () => {
    keys = await generatePaillierKeys(512)
  })

  it('reads back what was written, and adds datasets into one total of every value', async () => {
    const { write } = store()
    const a = await readPaillierDataset(write('a', [encrypt([1n, 2n]), encrypt([3n])]))
    const b = await readPaillierDataset(write('b', [encrypt([-10n])]))
    expect(a.chunks.map(c => c.length)).toEqual([2, 1])
    const sum = addPaillierDatasets([a, b])
    expect(sum.count).toBe(4)
    expect(keys.privateKey.decrypt(BigInt(`0x${sum.total}`))).toBe(keys.publicKey.n - 4n)
  })

  it('refuses a chunk that differs from its commitment, and commitments that do not form the root', async () => {
    const { write } = store()
    const swapped = write('a', [encrypt([1n])], m => {
      m.chunks[0]!.commitment = String(paillierChunkCommitment(encrypt([1n])))
      m.root = datasetRoot([BigInt(m.chunks[0]!.commitment)])
    })
    await expect(readPaillierDataset({ ...swapped, committedRoot: undefined })).rejects.toThrow(
      /the manifest's root differs from the chain's/,
    )
    const source = write('b', [encrypt([1n])], m => {
      m.chunks[0]!.commitment = '5'
    })
    await expect(readPaillierDataset(source)).rejects.toThrow(/chunk 0 differs from its commitment/)
    const unrooted = write('c', [encrypt([1n])], m => {
      m.root = `0x${'11'.repeat(32)}`
    })
    await expect(readPaillierDataset(unrooted)).rejects.toThrow(
      /its chunk commitments do not form its root/,
    )
  })

  it('refuses a plain dataset with DatasetShapeError', async () => {
    const { write } = store()
    const plain = write('plain', [encrypt([1n])], m => {
      delete m.paillier
    })
    await expect(readPaillierDataset(plain)).rejects.toThrow(
      expect.objectContaining({ name: 'DatasetShapeError' }),
    )
  })

  it('commits inputs and results as the chain records them', () => {
    const root = `0x${'ab'.repeat(32)}`
    expect(sumInputCommitment([root])).toBe(root)
    expect(sumInputCommitment([root, `0x${'cd'.repeat(32)}`])).not.toBe(root)
    expect(sumResultHash('00ff', 2)).toMatch(/^0x[0-9a-f]{64}$/)
    expect(sumResultHash('00ff', 2)).not.toBe(sumResultHash('00ff', 3))
    // keccak256 over the concatenated bytes: pinned so nodes and SDKs of any version agree
    expect(paillierChunkCommitment(['00', '01'])).toBe(
      BigInt('0x49d03a195e239b52779866b33024210fc7dc66e9c2998975c0aa45c1702549d5'),
    )
  })
})
