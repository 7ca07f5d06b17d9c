/**
 * Re-sealing a dataset after a rotation on real nodes and a real chain: interrupted and
 * resumed, every chunk ends under the new version, the chain names the new manifest, the
 * old shards are gone, and the data reads with the new key alone; tables and raw files
 * pass through as bytes the same way.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  projectOverview,
  rekeyProject,
  type UploadedDataset,
  uploadFile,
  uploadNumericDataset,
  uploadTableDataset,
} from '../client/sdk/index.ts'
import {
  createProjectKey,
  type ProjectKey,
  readEnvelopeHeader,
  rotateProjectKey,
} from '../protocol/crypto/index.ts'
import { datasetIdOf, projectIdOf } from '../protocol/ledger/index.ts'
import {
  FILE_CHUNK_BYTES,
  fetchShard,
  type PeerClient,
  readFileDataset,
  readNumericDataset,
  readTableDataset,
  type StorageNode,
} from '../protocol/wire/index.ts'
import { type Fixture, startFixture } from './ledger-fixture.ts'
import {
  grantKeyToNodes,
  startClient,
  startNodes,
  stopNodes,
  type TestNode,
} from './node-network.ts'

describe('project rekey on real nodes', () => {
  let fixture: Fixture
  let nodes: TestNode[]
  let alice: PeerClient
  let storage: StorageNode[]
  let dataset: UploadedDataset
  let journal: string
  const project = 'rekeyed'
  const projectId = projectIdOf(project)
  const v1 = createProjectKey(project)
  let v2: ProjectKey
  const values = Array.from({ length: 20 }, (_, i) => BigInt(i * 3))
  const table = { columns: ['x', 'y'], decimals: 2, values: [150n, -25n, 3n, 0n] }
  // two full chunks and a short one
  const fileBytes = randomBytes(2 * FILE_CHUNK_BYTES + 1000)
  const keyFor = async (version: number) => {
    if (version === 1) return v1
    if (version === 2) return v2
    throw new Error(`no key version ${version}`)
  }

  beforeAll(async () => {
    fixture = await startFixture()
    const owner = fixture.accounts.alice.ledger
    await owner.registerIdentity('user', fixture.accounts.alice.record)
    await owner.createProject(project, 0)
    nodes = await startNodes([fixture.accounts.node1, fixture.accounts.node2])
    await owner.allowMeasurement(projectId, nodes[0]!.node.measurement)
    alice = await startClient(fixture.accounts.alice, nodes[0]!)
    await grantKeyToNodes(owner, alice, nodes, v1)
    storage = nodes.map(n => ({ identity: n.account.name, peerId: n.node.peerId }))
    dataset = await uploadNumericDataset({
      client: alice,
      ledger: owner,
      projectKey: v1,
      project,
      dataset: 'spend',
      values,
      chunkSize: 8,
      storage,
    })
    const upload = { client: alice, ledger: owner, projectKey: v1, project, storage }
    await uploadTableDataset({ ...upload, dataset: 'table', ...table })
    await writeFile(join(tmpdir(), 'sealnet-rekey-file.bin'), fileBytes)
    await uploadFile({ ...upload, dataset: 'file', path: join(tmpdir(), 'sealnet-rekey-file.bin') })
    // a revocation happened: the key rotates, the nodes get version 2
    await owner.rotateProjectKey(projectId)
    v2 = rotateProjectKey(v1)
    await grantKeyToNodes(owner, alice, nodes, v2)
    journal = join(await mkdtemp(join(tmpdir(), 'sealnet-rekey-')), 'journal.json')
  }, 120_000)

  afterAll(async () => {
    await alice?.stop()
    await stopNodes(nodes ?? [])
    await fixture?.chain.close()
  })

  const rekey = async (onProgress?: (done: number) => void) =>
    rekeyProject({
      client: alice,
      ledger: fixture.accounts.alice.ledger,
      project: await projectOverview(fixture.accounts.alice.ledger, projectId),
      datasets: ['spend'],
      keyFor,
      storage,
      journal,
      onProgress: p => onProgress?.(p.done),
    })

  it('refuses a dataset name the chain does not have, before changing anything', async () => {
    await expect(
      rekeyProject({
        client: alice,
        ledger: fixture.accounts.alice.ledger,
        project: await projectOverview(fixture.accounts.alice.ledger, projectId),
        datasets: ['nope'],
        keyFor,
        storage,
        journal,
      }),
    ).rejects.toMatchObject({ name: 'UnknownDatasetError' })
  })

  it('resumes after an interruption, re-seals every chunk, and switches the chain over last', async () => {
    // the run dies after its first chunk: the chain still names the old manifest
    await expect(
      rekey(done => {
        if (done === 1) throw new Error('killed')
      }),
    ).rejects.toThrow('killed')
    const before = await fixture.accounts.alice.ledger.dataset(projectId, datasetIdOf('spend'))
    expect(before!.manifestShardId).toBe(dataset.manifest.shardId)
    const journaled = JSON.parse(await readFile(journal, 'utf8'))
    expect(Object.keys(journaled.datasets.spend.chunks)).toEqual(['0'])

    const [done] = await rekey()
    expect(done).toMatchObject({ dataset: 'spend', chunks: 3, resealed: 2, deleteFailures: [] })
    // 3 old chunks and the old manifest, each on 2 nodes
    expect(done!.deleted).toBe(8)
    const after = await fixture.accounts.alice.ledger.dataset(projectId, datasetIdOf('spend'))
    expect(after!.root).toBe(dataset.root)
    expect(after!.manifestShardId).toBe(done!.manifest)

    // every shard is under version 2, and the data opens with version 2 alone
    const read = await readNumericDataset({
      keyFor: async version => {
        if (version !== 2) throw new Error(`asked for version ${version}`)
        return v2
      },
      project,
      dataset: 'spend',
      manifest: { shardId: after!.manifestShardId, holders: storage },
      committedRoot: after!.root,
      readShard: async (shardId, holders) => {
        const { shard } = await fetchShard(alice, projectId, shardId, holders)
        expect(readEnvelopeHeader(shard).keyVersion).toBe(2)
        return shard
      },
    })
    expect(read.chunks.flatMap(c => c.values)).toEqual(values)
    // the old version-1 shards are gone from the nodes
    await expect(fetchShard(alice, projectId, dataset.manifest.shardId, storage)).rejects.toThrow()
  })

  it('re-seals a table and a raw file as bytes: both read back under version 2, every chunk checked', async () => {
    const done = await rekeyProject({
      client: alice,
      ledger: fixture.accounts.alice.ledger,
      project: await projectOverview(fixture.accounts.alice.ledger, projectId),
      datasets: ['table', 'file'],
      keyFor,
      storage,
      journal: `${journal}.more`,
    })
    expect(done.map(d => [d.dataset, d.resealed])).toEqual([
      ['table', 1],
      ['file', 3],
    ])
    const onlyV2 = async (name: string) => {
      const committed = (await fixture.accounts.alice.ledger.dataset(projectId, datasetIdOf(name)))!
      return {
        keyFor: async (version: number) => {
          if (version !== 2) throw new Error(`asked for version ${version}`)
          return v2
        },
        project,
        dataset: name,
        manifest: { shardId: committed.manifestShardId, holders: storage },
        committedRoot: committed.root,
        readShard: async (shardId: string, holders: StorageNode[]) =>
          (await fetchShard(alice, projectId, shardId, holders)).shard,
      }
    }
    const read = await readTableDataset(await onlyV2('table'))
    expect([read.columns, read.decimals, Array.from(read.values)]).toEqual([
      table.columns,
      table.decimals,
      table.values.map(Number),
    ])
    const parts: Uint8Array[] = []
    await readFileDataset(await onlyV2('file'), bytes => {
      parts.push(bytes)
    })
    expect(Buffer.concat(parts).equals(fileBytes)).toBe(true)
  })

  it('a third run finds everything current and changes nothing', async () => {
    const manifest = (await fixture.accounts.alice.ledger.dataset(projectId, datasetIdOf('spend')))!
      .manifestShardId
    const [again] = await rekey()
    expect(again).toMatchObject({ resealed: 0, deleted: 0, manifest })
  })
})
