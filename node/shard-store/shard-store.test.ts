import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { beforeEach, describe, expect, it } from 'vitest'
import { ShardStore, shardId } from './shard-store.ts'

const hasName = (name: string) => expect.objectContaining({ name })

describe('ShardStore', () => {
  let path: string
  beforeEach(async () => {
    path = join(await mkdtemp(join(tmpdir(), 'sealnet-shards-')), 'db')
  })

  async function started(init: { maxBytes?: number } = {}) {
    const store = new ShardStore({ path, ...init })
    await store.start()
    return store
  }

  it('stores a shard under the SHA-256 of its bytes and gives the same bytes back', async () => {
    const store = await started()
    const shard = randomBytes(5000)
    const id = await store.put(shard, { projectId: 'p' })
    expect(id).toBe(shardId(shard))
    expect(Buffer.from(await store.get(id))).toEqual(shard)
    expect(await store.meta(id)).toMatchObject({ projectId: 'p', size: 5000 })
    await store.stop()
  })

  it('keeps shards and its counts across a restart', async () => {
    let store = await started()
    const ids = [
      await store.put(randomBytes(100), { projectId: 'a' }),
      await store.put(randomBytes(300), { projectId: 'b' }),
    ]
    await store.stop()
    store = await started()
    expect(store.stats()).toEqual({ shards: 2, bytes: 400 })
    expect((await store.get(ids[1]!)).length).toBe(300)
    expect(await store.list('a')).toEqual([ids[0]])
    await store.stop()
  })

  it('reports a shard whose bytes changed on disk with CorruptShardError, and never serves it', async () => {
    let store = await started()
    const id = await store.put(randomBytes(64), { projectId: 'p' })
    await store.stop()
    // corruption underneath the store: another value under the shard's key
    const raw = new Level<string, Uint8Array>(path, { valueEncoding: 'view' })
    await raw.put(`s!${id}`, randomBytes(64))
    await raw.close()
    store = await started()
    await expect(store.get(id)).rejects.toThrow(hasName('CorruptShardError'))
    await store.stop()
  })

  it('refuses a shard over the quota with QuotaExceededError, writing nothing', async () => {
    const store = await started({ maxBytes: 1000 })
    await store.put(randomBytes(600), { projectId: 'p' })
    await expect(store.put(randomBytes(600), { projectId: 'p' })).rejects.toThrow(
      hasName('QuotaExceededError'),
    )
    expect(store.stats()).toEqual({ shards: 1, bytes: 600 })
    expect(await store.list()).toHaveLength(1)
    await store.stop()
  })

  it('stores the same shard once, and deletes shard and metadata together', async () => {
    const store = await started()
    const shard = randomBytes(10)
    const id = await store.put(shard, { projectId: 'p' })
    await store.put(shard, { projectId: 'p' })
    expect(store.stats()).toEqual({ shards: 1, bytes: 10 })
    await store.delete(id)
    expect(store.stats()).toEqual({ shards: 0, bytes: 0 })
    await expect(store.get(id)).rejects.toThrow(hasName('ShardNotFoundError'))
    await expect(store.delete(id)).rejects.toThrow(hasName('ShardNotFoundError'))
    await store.stop()
  })

  it('refuses ids that are not SHA-256 hex, and any call before start', async () => {
    const store = new ShardStore({ path })
    await expect(store.get('a'.repeat(64))).rejects.toThrow(hasName('StoreNotStartedError'))
    await store.start()
    await expect(store.get('../../etc/passwd')).rejects.toThrow(hasName('InvalidShardIdError'))
    await store.stop()
  })
})
