import { concat, keccak256 } from 'ethers'
import { describe, expect, it } from 'vitest'
import { merkleRoot } from './merkle.ts'

const leaf = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`
const [a, b, c] = [leaf(0xaa), leaf(0x11), leaf(0xcc)]

describe('merkleRoot', () => {
  it('hashes pairs left then right, in position order, and moves an odd node up', () => {
    expect(merkleRoot([a])).toBe(a)
    expect(merkleRoot([a, b])).toBe(keccak256(concat([a, b])))
    expect(merkleRoot([a, b, c])).toBe(keccak256(concat([keccak256(concat([a, b])), c])))
  })

  it('gives another root when two sibling leaves swap places (sorted pairs did not)', () => {
    expect(merkleRoot([b, a])).not.toBe(merkleRoot([a, b]))
    expect(merkleRoot([a, c, b])).not.toBe(merkleRoot([a, b, c]))
  })

  it('refuses an empty tree', () => {
    expect(() => merkleRoot([])).toThrow(RangeError)
  })
})
