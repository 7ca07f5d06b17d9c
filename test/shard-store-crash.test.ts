/** A node killed (SIGKILL) in the middle of writing shards leaves no half shard behind. */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { describe, expect, it } from 'vitest'
import { ShardStore, shardId } from '../node/shard-store/index.ts'

const FIXTURE = new URL('./fixtures/put-shards-forever.ts', import.meta.url).pathname

describe('the shard store under a crash', () => {
  it('keeps whole shards only, each with its metadata, after SIGKILL mid-write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sealnet-crash-'))
    try {
      for (let round = 0; round < 3; round++) {
        const child = spawn(process.execPath, [FIXTURE, dir])
        let output = ''
        child.stdout.on('data', chunk => {
          output += chunk
        })
        await new Promise(resolve => setTimeout(resolve, 800 + round * 300))
        child.kill('SIGKILL')
        await new Promise(resolve => child.once('exit', resolve))
        // whole lines only: the last one may have been cut by the kill
        const acknowledged = output.split('\n').slice(0, -1)
        expect(acknowledged.length).toBeGreaterThan(0)

        // raw view: every shard entry has metadata and vice versa, and every shard hashes to its id
        const db = new Level<string, Uint8Array>(dir, { valueEncoding: 'view' })
        const shards = new Set<string>()
        const metas = new Set<string>()
        for await (const [key, value] of db.iterator()) {
          if (key.startsWith('s!')) {
            expect(shardId(value)).toBe(key.slice(2))
            shards.add(key.slice(2))
          } else metas.add(key.slice(2))
        }
        await db.close()
        expect([...shards].sort()).toEqual([...metas].sort())
        // everything the child confirmed survived the kill
        for (const id of acknowledged) expect(shards.has(id)).toBe(true)

        const store = new ShardStore({ path: dir })
        await store.start()
        expect(store.stats().shards).toBe(shards.size)
        await store.stop()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
