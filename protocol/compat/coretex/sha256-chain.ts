/**
 * Coretex's deterministic `randfunc`: the bytes of S0 ‖ S1 ‖ …, read in order, where
 * S0 = SHA-256(secret as UTF-8) and S(i+1) = SHA-256(S(i)). No salt, no stretching.
 * @module
 */
import { createHash } from 'node:crypto'

export class Sha256Chain {
  #state: Buffer
  #offset = 0

  constructor(secret: string) {
    this.#state = createHash('sha256').update(secret, 'utf8').digest()
  }

  /** The next `length` bytes of the chain. */
  read(length: number): Uint8Array {
    const out = new Uint8Array(length)
    let filled = 0
    while (filled < length) {
      if (this.#offset === this.#state.length) {
        this.#state = createHash('sha256').update(this.#state).digest()
        this.#offset = 0
      }
      const take = Math.min(length - filled, this.#state.length - this.#offset)
      out.set(this.#state.subarray(this.#offset, this.#offset + take), filled)
      filled += take
      this.#offset += take
    }
    return out
  }
}
