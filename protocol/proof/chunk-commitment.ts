/**
 * The salted Poseidon commitment of a chunk, computed exactly as
 * circuits/src/chunk-commitment.circom does (tested against it):
 *   state_0 = salt; state_{k+1} = Poseidon(state_k, next 15 values, zero-padded)
 * over the chunk padded with zeros to the circuit size N.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { buildPoseidon } from 'circomlibjs'
import { InvalidWitnessError } from './errors.ts'

/** BN254 scalar field order: every signal is an element below it. */
export const FIELD_ORDER =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n

let poseidon: Awaited<ReturnType<typeof buildPoseidon>> | undefined

/** A random salt below the field order (248 bits: uniform, and always below it). */
export function randomSalt(): bigint {
  return BigInt(`0x${randomBytes(31).toString('hex')}`)
}

/**
 * The commitment of a dataset chunk, as the stats and linear circuits state it: over its
 * length (values, or records), then its values, so the length a proof claims is the one
 * the uploader committed.
 * @example const commitment = await dataChunkCommitment([1n, 2n, 3n], 3, salt, 8)
 */
export function dataChunkCommitment(
  values: readonly bigint[],
  length: number,
  salt: bigint,
  size: number,
): Promise<bigint> {
  if (values.length > size)
    throw new InvalidWitnessError(`a chunk holds at most ${size} values; got ${values.length}`)
  return chunkCommitment([BigInt(length), ...values], salt, size + 1)
}

/**
 * @example const commitment = await chunkCommitment([1n, 2n, 3n], salt, 8)
 */
export async function chunkCommitment(
  values: readonly bigint[],
  salt: bigint,
  size: number,
): Promise<bigint> {
  if (values.length > size)
    throw new InvalidWitnessError(`a chunk holds at most ${size} values; got ${values.length}`)
  poseidon ??= await buildPoseidon()
  const padded = [...values, ...Array<bigint>(size - values.length).fill(0n)]
  let state = salt
  for (let k = 0; k < padded.length; k += 15) {
    const block = padded.slice(k, k + 15)
    while (block.length < 15) block.push(0n)
    state = poseidon.F.toObject(poseidon([state, ...block])) as bigint
  }
  return state
}
