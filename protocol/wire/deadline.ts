/**
 * Runs `work` with a signal that aborts after `ms` unless `work` finishes first.
 *
 * Use it for libp2p dials instead of AbortSignal.timeout: js-libp2p 3 keeps a dial's
 * signal on the connection the dial opens, so a timeout signal that fires later aborts
 * the connection, and every stream on it, long after the dial succeeded (seen here as
 * connections dying exactly `timeoutMs` after they opened). This signal never fires
 * once `work` is done.
 */
export async function withDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')),
    ms,
  )
  try {
    return await work(controller.signal)
  } finally {
    clearTimeout(timer)
  }
}
