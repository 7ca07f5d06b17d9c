import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type Ledger, LedgerRevertError } from '../../protocol/ledger/index.ts'
import { AccessLog } from './access-log.ts'

const hex = (n: number) => `0x${n.toString(16).padStart(64, '0')}`
const [OK, REVOKED, DOWN] = [hex(1), hex(2), hex(3)]

/** A ledger double: one project accepts, one refuses for good, one is unreachable. */
function fakeLedger(sent: Array<{ projectId: string; count: number }>) {
  return {
    async recordAccessBatch(projectId: string, _node: string, records: unknown[]) {
      if (projectId === REVOKED) throw new LedgerRevertError('ProjectsNodeNotAuthorized', [])
      if (projectId === DOWN) throw new Error('connect ECONNREFUSED')
      sent.push({ projectId, count: records.length })
    },
  } as unknown as Ledger
}

describe('AccessLog', () => {
  it('sends what the ledger takes, keeps what failed for now, dead-letters what it refuses for good', async () => {
    const sent: Array<{ projectId: string; count: number }> = []
    const path = await mkdtemp(join(tmpdir(), 'sealnet-access-'))
    const log = new AccessLog({
      path,
      ledger: fakeLedger(sent),
      node: 'n',
      flushIntervalMs: 3_600_000,
    })
    await log.start()
    for (const projectId of [OK, OK, REVOKED, DOWN])
      await log.record({ projectId, objectId: hex(9), accessor: hex(8), action: 'read' })
    expect(await log.flush()).toBe(2)
    expect(sent).toEqual([{ projectId: OK, count: 2 }])
    expect(await log.pending()).toBe(1) // DOWN's record waits for the next flush
    const dead = await log.deadLetters()
    expect(dead).toEqual([
      expect.objectContaining({ projectId: REVOKED, error: 'ProjectsNodeNotAuthorized' }),
    ])
    expect(await log.flush()).toBe(0)
    expect(await log.deadLetters()).toHaveLength(1)

    // across a restart: the queue and the dead letters stay, new records get fresh keys
    await log.stop()
    await log.start()
    expect(await log.pending()).toBe(1)
    await log.record({ projectId: OK, objectId: hex(7), accessor: hex(8), action: 'write' })
    expect(await log.pending()).toBe(2)
    expect(await log.deadLetters()).toHaveLength(1)
    await log.stop()
  })

  it('a flush called while another runs also sends what was queued after that one began', async () => {
    const sent: Array<{ projectId: string; count: number }> = []
    let release = () => {}
    let entered = () => {}
    const inLedger = new Promise<void>(resolve => (entered = resolve))
    const slow = {
      async recordAccessBatch(projectId: string, _node: string, records: unknown[]) {
        // the first transaction waits until the test has queued more and asked again
        if (sent.length === 0) {
          entered()
          await new Promise<void>(resolve => (release = resolve))
        }
        sent.push({ projectId, count: records.length })
      },
    } as unknown as Ledger
    const path = await mkdtemp(join(tmpdir(), 'sealnet-access-'))
    const log = new AccessLog({ path, ledger: slow, node: 'n', flushIntervalMs: 3_600_000 })
    await log.start()
    await log.record({ projectId: OK, objectId: hex(1), accessor: hex(8), action: 'read' })
    const first = log.flush()
    await inLedger
    await log.record({ projectId: OK, objectId: hex(2), accessor: hex(8), action: 'read' })
    const second = log.flush()
    const third = log.flush()
    release()
    expect(await first).toBe(1)
    expect(await second).toBe(1)
    expect(await third).toBe(1) // the same follow-up as the second
    expect(sent).toEqual([
      { projectId: OK, count: 1 },
      { projectId: OK, count: 1 },
    ])
    expect(await log.pending()).toBe(0)
    await log.stop()
  })

  it("sends a revoked node's deletions on their own when the ledger takes only those", async () => {
    const sent: Array<{ action: number }[]> = []
    const ledger = {
      async recordAccessBatch(_p: string, _n: string, records: Array<{ action: number }>) {
        if (records.some(r => r.action !== 2))
          throw new LedgerRevertError('ProjectsRevokedNodeRecordsOnlyDeletions', [])
        sent.push(records)
      },
    } as unknown as Ledger
    const path = await mkdtemp(join(tmpdir(), 'sealnet-access-'))
    const log = new AccessLog({ path, ledger, node: 'n', flushIntervalMs: 3_600_000 })
    await log.start()
    for (const action of ['read', 'delete', 'write', 'delete'] as const)
      await log.record({ projectId: OK, objectId: hex(9), accessor: hex(8), action })
    expect(await log.flush()).toBe(2)
    expect((await log.deadLetters()).map(d => d.record.action)).toEqual([0, 1])
    expect(await log.pending()).toBe(0)
    expect(sent).toEqual([
      [expect.objectContaining({ action: 2 }), expect.objectContaining({ action: 2 })],
    ])
    await log.stop()
  })
})

describe('AccessLog gas budget', () => {
  it("stops sending a project's batches past its hourly budget, keeping its records, while other projects go on", async () => {
    const sent: Array<{ projectId: string; count: number }> = []
    const log = new AccessLog({
      path: await mkdtemp(join(tmpdir(), 'sealnet-access-')),
      ledger: fakeLedger(sent),
      node: 'n',
      flushIntervalMs: 3_600_000,
      maxBatch: 2,
      maxBatchesPerHour: 2,
    })
    await log.start()
    const OTHER = hex(4)
    for (let i = 0; i < 7; i++)
      await log.record({ projectId: OK, objectId: hex(10 + i), accessor: hex(8), action: 'read' })
    await log.record({ projectId: OTHER, objectId: hex(30), accessor: hex(8), action: 'read' })
    // OK's 7 records would take 4 transactions: 2 go, 3 records wait; OTHER is not held up
    expect(await log.flush()).toBe(5)
    expect(sent).toEqual([
      { projectId: OK, count: 2 },
      { projectId: OK, count: 2 },
      { projectId: OTHER, count: 1 },
    ])
    expect(await log.pending()).toBe(3)
    expect(await log.flush()).toBe(0)
    await log.stop()
  })
})
