import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type JobRecord, JobRecords } from './job-records.ts'

const JOB = `0x${'ab'.repeat(32)}`
const record = (): JobRecord => ({
  jobId: JOB,
  project: 'p',
  phase: 'proving',
  node: 'node-1',
  phases: {},
  phaseStartedAt: Date.now(),
})

/** Whether `promise` has settled by the time the event loop has run pending work. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false
  promise.then(() => {
    done = true
  })
  await new Promise(resolve => setImmediate(resolve))
  return done
}

describe('JobRecords.changed', () => {
  let records: JobRecords
  beforeEach(async () => {
    records = new JobRecords(join(await mkdtemp(join(tmpdir(), 'sealnet-records-')), 'jobs'))
    await records.start()
  })
  afterEach(() => records.stop())

  it('resolves when the job is saved again, not before; other jobs do not wake it', async () => {
    const r = record()
    await records.save(r)
    const waiting = records.changed(JOB, 60_000)
    const other = { ...record(), jobId: `0x${'cd'.repeat(32)}` }
    await records.save(other)
    expect(await settled(waiting)).toBe(false)
    await records.enter(r, 'recording')
    expect(await settled(waiting)).toBe(true)
    expect((await records.get(JOB))?.phase).toBe('recording')
  })

  it('resolves after its wait when nothing changes, and at once for every waiter on stop', async () => {
    await records.save(record())
    const started = Date.now()
    await records.changed(JOB, 30)
    expect(Date.now() - started).toBeGreaterThanOrEqual(25)
    const waiters = [records.changed(JOB, 60_000), records.changed(JOB, 60_000)]
    await records.stop()
    expect(await settled(Promise.all(waiters))).toBe(true)
    // a stopped store has nothing to wait on
    expect(await settled(records.changed(JOB, 60_000))).toBe(true)
  })
})
