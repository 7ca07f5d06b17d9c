/**
 * A token bucket per key: `rate` a second, up to `burst` at once. What a node answers
 * for anyone (an attestation costs an RSA signature) is limited per IP with it.
 * @module
 */
export class RateLimit {
  readonly #rate: number
  readonly #burst: number
  readonly #buckets = new Map<string, { tokens: number; at: number }>()

  constructor(rate: number, burst: number) {
    this.#rate = rate
    this.#burst = burst
  }

  /** Takes a token for `key`; false when its bucket is empty. */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate)
    bucket.at = now
    if (this.#buckets.size > 10_000) this.#buckets.clear()
    this.#buckets.set(key, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens--
    return true
  }
}
