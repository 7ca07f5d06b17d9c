/**
 * Files as datasets on real nodes: any bytes uploaded in sealed 1 MiB chunks (replicated,
 * root on chain), read back byte for byte into a file that appears only once every chunk
 * and the whole are checked; a node serving the wrong chunk leaves no file behind.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downloadFile, type UploadedDataset, uploadFile } from '../client/sdk/index.ts'
import { datasetIdOf } from '../protocol/ledger/index.ts'
import {
  checkDatasetShape,
  DatasetIntegrityError,
  DatasetShapeError,
  FILE_CHUNK_BYTES,
  fetchShard,
  readDatasetManifest,
  type StorageNode,
} from '../protocol/wire/index.ts'
import { type ProjectNetwork, startProjectNetwork } from './node-network.ts'

describe('file datasets', () => {
  let net: ProjectNetwork
  let dir: string
  const project = 'files'
  // two whole chunks and a part
  const content = randomBytes(2 * FILE_CHUNK_BYTES + 12_345)
  let uploaded: UploadedDataset

  beforeAll(async () => {
    net = await startProjectNetwork({ project, nodes: 3 })
    dir = await mkdtemp(join(tmpdir(), 'sealnet-files-'))
    await writeFile(join(dir, 'scan.bin'), content)
  }, 120_000)

  afterAll(async () => {
    await net?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const source = (
    readShard = (id: string, holders: StorageNode[]) =>
      fetchShard(net.alice, net.projectId, id, holders).then(r => r.shard),
  ) => ({
    keyFor: async () => net.projectKey,
    project,
    dataset: 'scan.bin',
    manifest: uploaded.manifest,
    committedRoot: uploaded.root,
    readShard,
  })

  it('uploads a file in sealed 1 MiB chunks on two nodes each, its root on chain, and reads it back byte for byte', async () => {
    const progress: number[] = []
    uploaded = await uploadFile({
      client: net.alice,
      ledger: net.accounts.alice!.ledger,
      projectKey: net.projectKey,
      project,
      dataset: 'scan.bin',
      storage: net.storage,
      path: join(dir, 'scan.bin'),
      onProgress: done => progress.push(done),
    })
    expect(progress).toEqual([1, 2, 3])
    expect(
      await net.accounts.alice!.ledger.datasetRoot(net.projectId, datasetIdOf('scan.bin')),
    ).toBe(uploaded.root)
    const manifest = await readDatasetManifest(source())
    expect(manifest.file).toEqual({
      bytes: content.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    expect(manifest.chunks.map(c => c.holders.length)).toEqual([2, 2, 2])
    // no node holds the plaintext: every stored shard is sealed
    for (const n of net.nodes)
      for (const chunk of manifest.chunks)
        if (await n.node.store.has(chunk.shardId))
          expect(
            Buffer.from(await n.node.store.get(chunk.shardId)).includes(content.subarray(0, 64)),
          ).toBe(false)

    const output = join(dir, 'back.bin')
    const read = await downloadFile(source(), output)
    expect(read.bytes).toBe(content.length)
    expect(Buffer.compare(await readFile(output), content)).toBe(0)
    // a raw dataset is not values: a job refuses it by its shape
    expect(() =>
      checkDatasetShape('stats', 'scan.bin', manifest, { statsSize: 8, linearRecords: 8 }),
    ).toThrow(DatasetShapeError)
  }, 120_000)

  it('a node serving another chunk in place of one: the download fails naming the dataset, and no file appears', async () => {
    const manifest = await readDatasetManifest(source())
    const [first, second] = manifest.chunks
    const swapped = source(
      async (id, holders) =>
        (
          await fetchShard(
            net.alice,
            net.projectId,
            id === second!.shardId ? first!.shardId : id,
            holders,
          )
        ).shard,
    )
    const output = join(dir, 'forged.bin')
    await expect(downloadFile(swapped, output)).rejects.toThrow(DatasetIntegrityError)
    expect((await readdir(dir)).filter(f => f.startsWith('forged'))).toEqual([])
  }, 60_000)

  it('uploads an empty file as one empty chunk and reads it back', async () => {
    await writeFile(join(dir, 'empty'), '')
    const empty = await uploadFile({
      client: net.alice,
      ledger: net.accounts.alice!.ledger,
      projectKey: net.projectKey,
      project,
      dataset: 'empty',
      storage: net.storage,
      path: join(dir, 'empty'),
    })
    const output = join(dir, 'empty.back')
    const read = await downloadFile(
      { ...source(), dataset: 'empty', manifest: empty.manifest, committedRoot: empty.root },
      output,
    )
    expect(read.bytes).toBe(0)
    expect((await readFile(output)).length).toBe(0)
  }, 60_000)
})
