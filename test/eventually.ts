/**
 * The one way tests wait: poll a condition until it holds or a deadline passes. No test
 * sleeps a fixed time; a wait that times out names what it was waiting for.
 */

export interface EventuallyOptions {
  /** @default 10_000 */
  timeoutMs?: number
  /** @default 50 */
  intervalMs?: number
  /** What is awaited, for the timeout's message. */
  what?: string
}

/**
 * Resolves with the first truthy value `check` returns; rejects once `timeoutMs` passes
 * without one. A `check` that throws ends the wait with its error: an assertion inside it
 * fails fast.
 *
 * @example
 * const job = await eventually(async () => (await ledger.job(id))?.status === 'assigned' && job, { what: 'a claim' })
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: EventuallyOptions | number = {},
): Promise<Exclude<T, false | undefined | null | 0 | ''>> {
  const {
    timeoutMs = 10_000,
    intervalMs = 50,
    what = 'condition',
  } = typeof options === 'number' ? { timeoutMs: options } : options
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as Exclude<T, false | undefined | null | 0 | ''>
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
}
