/**
 * base^e mod m for one fixed base and modulus, by OpenSSL's constant-time modular
 * exponentiation instead of JavaScript BigInts (about 10× faster at 4096 bits).
 *
 * node:crypto exposes that exponentiation only as Diffie-Hellman: a DH object with
 * "prime" m and generator `base` computes base^private mod m as its public key. OpenSSL
 * doesn't require m to be prime for that (it only reports it in `verifyError`), so any odd
 * modulus works. Making the object costs a primality check (~16 ms at 4096 bits), which is
 * why one object serves every exponent.
 * @module
 */
import { createDiffieHellman, type DiffieHellman } from 'node:crypto'
import { InvalidInputError } from './errors.ts'

export class FixedBasePower {
  readonly #dh: DiffieHellman

  constructor(base: bigint, modulus: bigint) {
    if (modulus < 3n || modulus % 2n === 0n)
      throw new InvalidInputError('a fixed-base power takes an odd modulus above 2')
    if (base <= 1n || base >= modulus)
      throw new InvalidInputError('a fixed-base power takes a base in (1, modulus)')
    this.#dh = createDiffieHellman(bigintToBytes(modulus), bigintToBytes(base))
  }

  /** base^exponent mod modulus, for 0 < exponent. */
  pow(exponent: bigint): bigint {
    if (exponent <= 0n) throw new InvalidInputError('a fixed-base power takes a positive exponent')
    this.#dh.setPrivateKey(bigintToBytes(exponent))
    return BigInt(`0x${this.#dh.generateKeys('hex')}`)
  }
}

/** Big-endian bytes of a non-negative integer (at least one byte). */
export function bigintToBytes(value: bigint): Buffer {
  const hex = value.toString(16)
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex')
}
