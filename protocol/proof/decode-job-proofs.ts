/**
 * The inverse of encodeStatsProofs / encodeLinearProofs: the chunk proofs a completed job
 * put on chain, back in snarkjs form, so anyone can re-check them off chain.
 * @module
 */
import { AbiCoder } from 'ethers'
import { CIRCUITS } from './circuits.ts'
import type { ChunkProof, Groth16Proof } from './groth16.ts'

const coder = AbiCoder.defaultAbiCoder()
const TUPLE = {
  stats: 'tuple(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[3] pub)[]',
  linear: 'tuple(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[4] pub)[]',
} as const

type Decoded = { a: bigint[]; b: bigint[][]; c: bigint[]; pub: bigint[] }

function groth16(t: Decoded): Groth16Proof {
  const s = (v: bigint) => v.toString()
  return {
    pi_a: [s(t.a[0]!), s(t.a[1]!), '1'],
    // the Solidity verifier takes b's coordinates swapped per pair (proofCalldata)
    pi_b: [
      [s(t.b[0]![1]!), s(t.b[0]![0]!)],
      [s(t.b[1]![1]!), s(t.b[1]![0]!)],
      ['1', '0'],
    ],
    pi_c: [s(t.c[0]!), s(t.c[1]!), '1'],
    protocol: 'groth16',
    curve: 'bn128',
  }
}

/**
 * The chunk proofs of a job's `proof` bytes. A chunk's size is not among its public
 * signals, so each is returned once per built size; only the right one verifies.
 */
export function decodeJobProofs(kind: 'stats' | 'linear', proofBytes: string): ChunkProof[][] {
  const [tuples] = coder.decode([TUPLE[kind]], proofBytes) as unknown as [Decoded[]]
  return tuples.map(t => {
    const publicSignals = t.pub.map(v => v.toString())
    const proof = groth16(t)
    return CIRCUITS[kind].sizes.map(size => ({ circuit: kind, size, proof, publicSignals }))
  })
}
