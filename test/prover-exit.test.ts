import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)

describe('a process that proves', () => {
  it('exits by itself after concurrent proofs once releaseProverThreads is called', async () => {
    const script = new URL('./fixtures/prove-concurrently.ts', import.meta.url).pathname
    // a leaked snarkjs worker keeps the process alive: the timeout turns that into a failure
    const { stdout } = await run(process.execPath, [script], { timeout: 60_000 })
    expect(stdout).toBe('proved 3, valid true\n')
  })
})
