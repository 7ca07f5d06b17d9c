import { describe, expect, it } from 'vitest'
import { type JobAnswer, PeerRefusedError } from '../../../protocol/wire/index.ts'
import { jobStatusOf } from './job-status-of.ts'

const JOB = `0x${'ab'.repeat(32)}`
const answer: JobAnswer = {
  ok: true,
  jobId: JOB,
  phase: 'recording',
  node: 'node-1',
  phases: {},
  hasResult: false,
}
const WAIT = { waitWhile: 'proving' as const, waitMs: 1_000 }

/** A client whose node refuses waits as malformed (a node from before long polls), or `fails` with. */
function client(fails?: Error) {
  const calls: Array<unknown> = []
  return {
    calls,
    jobStatus: async (_peer: string, _jobId: string, wait?: unknown) => {
      calls.push(wait)
      if (fails) throw fails
      if (wait) throw new PeerRefusedError('peer-1', 'malformed', 'unrecognized key: waitWhile')
      return answer
    },
  }
}

describe('jobStatusOf', () => {
  it('asks a node that refuses long polls plainly, and never asks it to wait again', async () => {
    const old = client()
    const plainOnly = new Set<string>()
    await expect(jobStatusOf(old, 'peer-1', JOB, WAIT, plainOnly)).resolves.toEqual(answer)
    expect(old.calls).toEqual([WAIT, undefined])
    expect(plainOnly.has('peer-1')).toBe(true)
    await jobStatusOf(old, 'peer-1', JOB, WAIT, plainOnly)
    expect(old.calls).toEqual([WAIT, undefined, undefined])
  })

  it('passes other refusals and failures on, and asks plainly when there is nothing to wait for', async () => {
    const unauthorized = new PeerRefusedError('peer-1', 'unauthorized', 'not a member')
    await expect(jobStatusOf(client(unauthorized), 'peer-1', JOB, WAIT, new Set())).rejects.toBe(
      unauthorized,
    )
    const plain = client()
    await expect(jobStatusOf(plain, 'peer-1', JOB, undefined, new Set())).resolves.toEqual(answer)
    expect(plain.calls).toEqual([undefined])
  })
})
