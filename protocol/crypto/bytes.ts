/** Byte helpers shared by the crypto core: input checks at public boundaries, encodings. */
import { InvalidInputError } from './errors.ts'

/** Throws InvalidInputError unless `value` is a Uint8Array (of `length` bytes, if given). */
export function assertBytes(value: unknown, length: number | undefined, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidInputError(`${name} must be a Uint8Array`)
  if (length !== undefined && value.length !== length) {
    throw new InvalidInputError(`${name} must be ${length} bytes, got ${value.length}`)
  }
  return value
}

export function assertString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidInputError(`${name} must be a non-empty string`)
  }
  return value
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** Big-endian unsigned bytes → bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`)
}

/** bigint → minimal big-endian unsigned bytes (at least one byte). */
export function bigIntToBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new InvalidInputError('negative integers have no unsigned encoding')
  const hex = value.toString(16)
  return Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, 'hex')
}

export function bigIntToBase64Url(value: bigint): string {
  return Buffer.from(bigIntToBytes(value)).toString('base64url')
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64')
}

/** Strict base64: throws InvalidInputError (naming `name`) on characters outside the alphabet. */
export function fromBase64(text: string, name: string): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new InvalidInputError(`${name} is not valid base64`)
  }
  return new Uint8Array(Buffer.from(text, 'base64'))
}

/** Length-prefixed concatenation (u32 big-endian lengths), so no two part lists encode alike. */
export function encodeParts(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + 4 + p.length, 0)
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  let offset = 0
  for (const part of parts) {
    view.setUint32(offset, part.length)
    out.set(part, offset + 4)
    offset += 4 + part.length
  }
  return out
}
