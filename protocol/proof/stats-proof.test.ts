import { join } from 'node:path'
import * as snarkjs from 'snarkjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refusedWith } from '../../test/ledger-fixture.ts'
import { startProvingLedger } from '../../test/proving-ledger.ts'
import { dataChunkCommitment, randomSalt } from './chunk-commitment.ts'
import { circuitDir } from './circuits.ts'
import { datasetRoot } from './dataset-root.ts'
import {
  CircuitProver,
  type Groth16Proof,
  releaseProverThreads,
  verifyChunkProof,
} from './groth16.ts'
import {
  encodeStatsProofs,
  openStats,
  proveStats,
  statsOf,
  statsResultCommitment,
  statsResultHash,
} from './stats-proof.ts'

const SIZE = 8
const MAX = 2n ** 32n - 1n
const hasName = (name: string) => expect.objectContaining({ name })

/** The statistics computed plainly, to compare with what the circuit proves. */
function expected(values: bigint[], threshold: bigint) {
  const kept = values.filter(v => v >= threshold)
  return {
    count: BigInt(kept.length),
    sum: kept.reduce((a, v) => a + v, 0n),
    sumOfSquares: kept.reduce((a, v) => a + v * v, 0n),
  }
}

/** Runs the circuit on raw inputs, bypassing the TypeScript checks: must fail for bad witnesses. */
async function rawProve(input: Record<string, unknown>) {
  const dir = circuitDir('stats', SIZE)
  return snarkjs.groth16.fullProve(
    input as never,
    join(dir, `stats_${SIZE}_js/stats_${SIZE}.wasm`),
    join(dir, `stats_${SIZE}.zkey`),
  )
}

describe('stats circuit', () => {
  let prover: CircuitProver
  beforeAll(() => {
    prover = CircuitProver.load('stats', SIZE)
  })
  afterAll(() => releaseProverThreads())

  it.each([
    ['a full chunk, no filter', [5n, 0n, 7n, 1n, 9n, 2n, 2n, 4n], 0n],
    ['a filtered chunk', [5n, 0n, 7n, 1n, 9n, 2n, 2n, 4n], 4n],
    ['a short chunk (padding must not count)', [3n, 3n], 0n],
    ['an empty chunk', [], 0n],
    ['maximal values', [MAX, MAX, MAX, MAX, MAX, MAX, MAX, MAX], MAX],
  ])(
    'proves %s: the opening holds the results computed in JS, and the proof verifies',
    async (_, values, threshold) => {
      const salt = randomSalt()
      const { proof, opening } = await proveStats(prover, values, salt, threshold)
      expect(opening).toMatchObject(expected(values, threshold))
      expect(statsOf(proof)).toEqual({
        resultCommitment: await statsResultCommitment(opening, threshold),
        commitment: await dataChunkCommitment(values, values.length, salt, SIZE),
        length: values.length,
      })
      expect(await verifyChunkProof(proof)).toBe(true)
    },
  )

  it('states no number of the result: equal chunks give unrelated commitments, none equal to a result', async () => {
    const values = [1n, 2n, 3n]
    const a = await proveStats(prover, values, 5n, 0n)
    const b = await proveStats(prover, values, 5n, 0n)
    expect(a.proof.publicSignals).toHaveLength(3)
    expect(statsOf(a.proof).commitment).toBe(statsOf(b.proof).commitment)
    expect(statsOf(a.proof).resultCommitment).not.toBe(statsOf(b.proof).resultCommitment)
    for (const signal of a.proof.publicSignals.map(BigInt).slice(0, 2))
      expect([3n, 6n, 14n, 0n]).not.toContain(signal)
  })

  it('openStats sums openings that match their proofs, and refuses any that does not', async () => {
    const chunks = [
      await proveStats(prover, [1n, 2n, 3n], randomSalt(), 2n),
      await proveStats(prover, [4n, 1n], randomSalt(), 2n),
    ]
    const proofs = chunks.map(c => c.proof)
    const openings = chunks.map(c => c.opening)
    expect(await openStats(proofs, openings, 2n)).toEqual({ count: 3n, sum: 9n, sumOfSquares: 29n })
    const refused = (changed: typeof openings, threshold = 2n) =>
      expect(openStats(proofs, changed, threshold)).rejects.toThrow(hasName('ResultOpeningError'))
    await refused([openings[0]!, { ...openings[1]!, sum: openings[1]!.sum + 1n }])
    await refused([{ ...openings[0]!, salt: openings[0]!.salt + 1n }, openings[1]!])
    await refused(openings, 0n)
    await refused([openings[1]!, openings[0]!])
    await refused(openings.slice(1))
  })

  it('refuses a proof whose result commitment was changed', async () => {
    const { proof } = await proveStats(prover, [1n, 2n, 3n], randomSalt(), 0n)
    const forged = {
      ...proof,
      publicSignals: proof.publicSignals.map((s, i) => (i === 0 ? String(BigInt(s) + 1n) : s)),
    }
    expect(await verifyChunkProof(forged)).toBe(false)
  })

  it('refuses a proof presented for another commitment', async () => {
    const { proof } = await proveStats(prover, [1n, 2n, 3n], randomSalt(), 0n)
    const forged = {
      ...proof,
      publicSignals: proof.publicSignals.map((s, i) => (i === 1 ? String(BigInt(s) ^ 1n) : s)),
    }
    expect(await verifyChunkProof(forged)).toBe(false)
  })

  describe('witnesses the circuit must reject', () => {
    const values = [1n, 2n, 3n, 0n, 0n, 0n, 0n, 0n]
    const salt = 42n
    let commitment: bigint
    beforeAll(async () => {
      commitment = await dataChunkCommitment(values.slice(0, 3), 3, salt, SIZE)
    })
    const input = (changes: Record<string, unknown>) => ({
      values: values.map(String),
      salt: '42',
      commitment: String(commitment),
      threshold: '0',
      length: '3',
      resultSalt: '7',
      ...changes,
    })

    it('accepts the honest witness (control)', async () => {
      await expect(rawProve(input({}))).resolves.toBeDefined()
    })

    it('rejects data that does not match the commitment', async () => {
      await expect(
        rawProve(input({ values: ['1', '2', '4', '0', '0', '0', '0', '0'] })),
      ).rejects.toThrow()
    })

    it('rejects a wrong commitment', async () => {
      await expect(rawProve(input({ commitment: String(commitment + 1n) }))).rejects.toThrow()
    })

    it("rejects a length other than the committed one: a short chunk's padding can't be counted", async () => {
      // the attack: the chunk holds 3 values; the prover claims 4 and counts a zero of the
      // padding (threshold 0 keeps it). The commitment covers the length, so this fails.
      await expect(rawProve(input({ length: '4' }))).rejects.toThrow()
      await expect(rawProve(input({ length: '8' }))).rejects.toThrow()
    })

    it('rejects a length that hides committed values', async () => {
      await expect(rawProve(input({ length: '2' }))).rejects.toThrow()
    })

    it('rejects a value of 2^32 (the range check)', async () => {
      const big = [2n ** 32n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]
      const c = await dataChunkCommitment([2n ** 32n], 1, salt, SIZE)
      await expect(
        rawProve(input({ values: big.map(String), commitment: String(c), length: '1' })),
      ).rejects.toThrow()
    })
  })

  it('throws InvalidWitnessError before proving for out-of-range or too many values', async () => {
    await expect(proveStats(prover, [2n ** 32n], 1n, 0n)).rejects.toThrow(
      hasName('InvalidWitnessError'),
    )
    await expect(proveStats(prover, [-1n], 1n, 0n)).rejects.toThrow(hasName('InvalidWitnessError'))
    await expect(proveStats(prover, Array<bigint>(9).fill(1n), 1n, 0n)).rejects.toThrow(
      hasName('InvalidWitnessError'),
    )
  })
})

describe('StatsJobVerifier on chain', () => {
  it('completes a stats job over a 3-chunk dataset with no number in its calldata, and refuses forged proofs and wrong results', async () => {
    const prover = CircuitProver.load('stats', SIZE)
    const chain = await startProvingLedger({ statsSize: SIZE, linearRecords: 8 })
    try {
      const data = Array.from({ length: 20 }, (_, i) => BigInt((i * 37) % 101))
      const salts = [randomSalt(), randomSalt(), randomSalt()]
      const chunks = [data.slice(0, 8), data.slice(8, 16), data.slice(16)]
      const root = datasetRoot(
        await Promise.all(chunks.map((c, i) => dataChunkCommitment(c, c.length, salts[i]!, SIZE))),
      )
      const proven = await Promise.all(chunks.map((c, i) => proveStats(prover, c, salts[i]!, 10n)))
      const proofs = proven.map(p => p.proof)
      const total = await openStats(
        proofs,
        proven.map(p => p.opening),
        10n,
      )
      expect(total).toEqual(expected(data, 10n))
      const result = statsResultHash(proofs)

      const forged = await chain.submitAndAssign('forged', 'stats', root)
      // bytes that are not proofs at all, a tampered proof point, a wrong result, a missing chunk
      await refusedWith(chain.node.completeJob(forged, result, '0x5ea1', []), 'JobsInvalidProof')
      const tampered = proofs.map((p, i) => {
        const groth16Proof = p.proof as Groth16Proof
        return i === 1
          ? { ...p, proof: { ...groth16Proof, pi_a: [...groth16Proof.pi_c.slice(0, 2), '1'] } }
          : p
      })
      await refusedWith(
        chain.node.completeJob(forged, result, encodeStatsProofs(tampered), []),
        'JobsInvalidProof',
      )
      // a hash over other result commitments than the proofs state
      const wrongResult = statsResultHash([proofs[0]!, proofs[0]!, proofs[2]!])
      await refusedWith(
        chain.node.completeJob(forged, wrongResult, encodeStatsProofs(proofs), []),
        'JobsInvalidProof',
      )
      await refusedWith(
        chain.node.completeJob(forged, result, encodeStatsProofs(proofs.slice(0, 2)), []),
        'JobsInvalidProof',
      )

      const honest = await chain.submitAndAssign('honest', 'stats', root)
      const calldata = encodeStatsProofs(proofs)
      await chain.node.completeJob(honest, result, calldata, [])
      const job = await chain.owner.jobs.job!(honest)
      expect([Number(job.status), job.resultHash]).toEqual([3, result])
      // what went on chain holds none of the chunks' sums as a word (counts are left out:
      // a count can equal the public length, which the chain may know)
      const word = (v: bigint) => v.toString(16).padStart(64, '0')
      for (const { opening } of proven)
        for (const v of [opening.sum, opening.sumOfSquares]) expect(calldata).not.toContain(word(v))
    } finally {
      await chain.fixture.chain.close()
      await releaseProverThreads()
    }
  })
})
