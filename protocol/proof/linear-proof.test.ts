import { join } from 'node:path'
import * as snarkjs from 'snarkjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refusedWith } from '../../test/ledger-fixture.ts'
import { startProvingLedger } from '../../test/proving-ledger.ts'
import { chunkCommitment, randomSalt } from './chunk-commitment.ts'
import { circuitDir, LINEAR_FEATURES } from './circuits.ts'
import { datasetRoot } from './dataset-root.ts'
import { CircuitProver, releaseProverThreads, verifyChunkProof } from './groth16.ts'
import {
  encodeLinearProofs,
  type LinearModel,
  linearOf,
  linearResultHash,
  modelCommitment,
  proveLinear,
  toField,
} from './linear-proof.ts'
import { encodeStatsProofs, proveStats } from './stats-proof.ts'

const RECORDS = 8
const hasName = (name: string) => expect.objectContaining({ name })
const model: LinearModel = { weights: [3n, -20n, 0n, 7n], bias: -5n }

/** y = W·x + b computed plainly, to compare with what the circuit proves. */
function predict(records: bigint[][], m: LinearModel): bigint[] {
  return records.map(x => x.reduce((acc, v, j) => acc + m.weights[j]! * v, m.bias))
}

const records = (n: number, seed: number) =>
  Array.from({ length: n }, (_, r) =>
    Array.from({ length: LINEAR_FEATURES }, (_, j) => BigInt(((r + seed) * 31 + j * 17) % 50)),
  )

describe('linear circuit', () => {
  let prover: CircuitProver
  beforeAll(() => {
    prover = CircuitProver.load('linear', RECORDS)
  })
  afterAll(() => releaseProverThreads())

  it.each([
    ['a full chunk', 8],
    ['a short chunk (padded rows must output nothing)', 3],
  ])(
    'proves %s with the outputs computed in JS, negatives included, and the proof verifies',
    async (_, n) => {
      const data = records(n, 1)
      const [dataSalt, modelSalt] = [randomSalt(), randomSalt()]
      const chunk = await proveLinear(prover, data, dataSalt, model, modelSalt)
      const stated = linearOf(chunk)
      expect(stated.outputs).toEqual(predict(data, model))
      expect(stated.outputs.some(y => y < 0n)).toBe(true)
      expect(stated.modelCommitment).toBe(await modelCommitment(model, modelSalt))
      expect(await verifyChunkProof(chunk)).toBe(true)
    },
  )

  it('refuses a proof whose output was changed', async () => {
    const chunk = await proveLinear(prover, records(4, 2), randomSalt(), model, randomSalt())
    const forged = {
      ...chunk,
      publicSignals: chunk.publicSignals.map((s, i) => (i === 0 ? String(BigInt(s) + 1n) : s)),
    }
    expect(await verifyChunkProof(forged)).toBe(false)
  })

  it('rejects a witness whose model does not match the model commitment', async () => {
    const dir = circuitDir('linear', RECORDS)
    const x = records(RECORDS, 3)
    const input = {
      x: x.map(r => r.map(String)),
      dataSalt: '1',
      dataCommitment: String(await chunkCommitment(x.flat(), 1n, RECORDS * LINEAR_FEATURES)),
      weights: [4n, -20n, 0n, 7n].map(w => String(toField(w))),
      bias: String(toField(-5n)),
      modelSalt: '2',
      modelCommitment: String(await modelCommitment(model, 2n)),
      length: String(RECORDS),
    }
    const prove = (i: object) =>
      snarkjs.groth16.fullProve(
        i as never,
        join(dir, `linear_${RECORDS}_js/linear_${RECORDS}.wasm`),
        join(dir, `linear_${RECORDS}.zkey`),
      )
    await expect(prove(input)).rejects.toThrow()
    await expect(
      prove({ ...input, weights: model.weights.map(w => String(toField(w))) }),
    ).resolves.toBeDefined()
  })

  it('throws InvalidWitnessError for weights out of range, wrong feature counts, and too many records', async () => {
    await expect(
      proveLinear(prover, records(1, 0), 1n, { ...model, bias: 2n ** 32n }, 1n),
    ).rejects.toThrow(hasName('InvalidWitnessError'))
    await expect(proveLinear(prover, [[1n, 2n]], 1n, model, 1n)).rejects.toThrow(
      hasName('InvalidWitnessError'),
    )
    await expect(proveLinear(prover, records(9, 0), 1n, model, 1n)).rejects.toThrow(
      hasName('InvalidWitnessError'),
    )
  })
})

describe('LinearJobVerifier and JobVerifierRouter on chain', () => {
  it('completes a linear job over 2 chunks, and refuses a wrong result, a swapped model and the wrong kind', async () => {
    const prover = CircuitProver.load('linear', RECORDS)
    const chain = await startProvingLedger({ statsSize: 8, linearRecords: RECORDS })
    try {
      const chunks = [records(8, 0), records(5, 9)]
      const dataSalts = [randomSalt(), randomSalt()]
      const modelSalt = randomSalt()
      const root = datasetRoot(
        await Promise.all(
          chunks.map((c, i) => chunkCommitment(c.flat(), dataSalts[i]!, RECORDS * LINEAR_FEATURES)),
        ),
      )
      const proofs = await Promise.all(
        chunks.map((c, i) => proveLinear(prover, c, dataSalts[i]!, model, modelSalt)),
      )
      const outputs = proofs.flatMap(p => linearOf(p).outputs)
      expect(outputs).toEqual(predict(chunks.flat(), model))
      const commitment = await modelCommitment(model, modelSalt)
      const result = linearResultHash(commitment, outputs)

      const forged = await chain.submitAndAssign('forged', 'linear', root)
      await refusedWith(
        chain.node.completeJob(
          forged,
          linearResultHash(commitment, outputs.slice(1)),
          encodeLinearProofs(proofs),
          [],
        ),
        'JobsInvalidProof',
      )
      const otherModel = await proveLinear(
        prover,
        chunks[1]!,
        dataSalts[1]!,
        { ...model, bias: 0n },
        modelSalt,
      )
      await refusedWith(
        chain.node.completeJob(forged, result, encodeLinearProofs([proofs[0]!, otherModel]), []),
        'JobsInvalidProof',
      )
      const statsChunk = await proveStats(CircuitProver.load('stats', 8), [1n], 1n, 0n)
      await refusedWith(
        chain.node.completeJob(forged, result, encodeStatsProofs([statsChunk]), []),
        'JobsInvalidProof',
      )

      const honest = await chain.submitAndAssign('honest', 'linear', root)
      await chain.node.completeJob(honest, result, encodeLinearProofs(proofs), [])
      expect(Number((await chain.owner.jobs.job!(honest)).status)).toBe(3)
      const unknownKind = await chain.submitAndAssign('unknown kind', 'stats' as 'linear', root)
      await refusedWith(
        chain.node.completeJob(unknownKind, result, encodeLinearProofs(proofs), []),
        'JobsInvalidProof',
      )
    } finally {
      await chain.fixture.chain.close()
      await releaseProverThreads()
    }
  })
})
