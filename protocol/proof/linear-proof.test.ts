import { join } from 'node:path'
import * as snarkjs from 'snarkjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refusedWith } from '../../test/ledger-fixture.ts'
import { startProvingLedger } from '../../test/proving-ledger.ts'
import { dataChunkCommitment, randomSalt } from './chunk-commitment.ts'
import { circuitDir, LINEAR_FEATURES } from './circuits.ts'
import { datasetRoot } from './dataset-root.ts'
import { CircuitProver, releaseProverThreads, verifyChunkProof } from './groth16.ts'
import {
  encodeLinearProofs,
  type LinearModel,
  type LinearOpening,
  linearOf,
  linearResultCommitment,
  linearResultHash,
  modelCommitment,
  openLinear,
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
    'proves %s: the opening holds the outputs computed in JS, negatives included, and the proof verifies',
    async (_, n) => {
      const data = records(n, 1)
      const [dataSalt, modelSalt] = [randomSalt(), randomSalt()]
      const { proof, opening } = await proveLinear(prover, data, dataSalt, model, modelSalt)
      expect(opening.outputs).toEqual(predict(data, model))
      expect(opening.outputs.some(y => y < 0n)).toBe(true)
      expect(linearOf(proof)).toEqual({
        resultCommitment: await linearResultCommitment(opening, RECORDS),
        dataCommitment: await dataChunkCommitment(
          data.flat(),
          n,
          dataSalt,
          RECORDS * LINEAR_FEATURES,
        ),
        modelCommitment: await modelCommitment(model, modelSalt),
        length: n,
      })
      // no output is among the public signals
      expect(proof.publicSignals).toHaveLength(4)
      for (const y of opening.outputs) expect(proof.publicSignals).not.toContain(String(toField(y)))
      expect(await verifyChunkProof(proof)).toBe(true)
    },
  )

  it('refuses a proof whose result commitment was changed', async () => {
    const { proof } = await proveLinear(prover, records(4, 2), randomSalt(), model, randomSalt())
    const forged = {
      ...proof,
      publicSignals: proof.publicSignals.map((s, i) => (i === 0 ? String(BigInt(s) + 1n) : s)),
    }
    expect(await verifyChunkProof(forged)).toBe(false)
  })

  it('openLinear returns outputs that match their proofs, and refuses any that do not', async () => {
    const chunks = [
      await proveLinear(prover, records(2, 4), randomSalt(), model, 9n),
      await proveLinear(prover, records(3, 5), randomSalt(), model, 9n),
    ]
    const proofs = chunks.map(c => c.proof)
    const [a, b] = chunks.map(c => c.opening) as [LinearOpening, LinearOpening]
    expect(await openLinear(proofs, [a, b])).toEqual(
      predict([...records(2, 4), ...records(3, 5)], model),
    )
    const refused = (openings: LinearOpening[]) =>
      expect(openLinear(proofs, openings)).rejects.toThrow(hasName('ResultOpeningError'))
    await refused([a, { ...b, outputs: [b.outputs[0]! + 1n, ...b.outputs.slice(1)] }])
    await refused([a, { ...b, outputs: b.outputs.slice(1) }])
    await refused([{ ...a, salt: a.salt + 1n }, b])
    await refused([b, a])
  })

  it('rejects a witness whose model does not match the model commitment', async () => {
    const x = records(RECORDS, 3)
    const input = {
      x: x.map(r => r.map(String)),
      dataSalt: '1',
      dataCommitment: String(
        await dataChunkCommitment(x.flat(), RECORDS, 1n, RECORDS * LINEAR_FEATURES),
      ),
      weights: [4n, -20n, 0n, 7n].map(w => String(toField(w))),
      bias: String(toField(-5n)),
      modelSalt: '2',
      modelCommitment: String(await modelCommitment(model, 2n)),
      length: String(RECORDS),
      resultSalt: '3',
    }
    await expect(prove(input)).rejects.toThrow()
    await expect(
      prove({ ...input, weights: model.weights.map(w => String(toField(w))) }),
    ).resolves.toBeDefined()
  })

  it('rejects a length other than the committed one: no output added or dropped', async () => {
    // 5 records committed, padded with zero records to RECORDS
    const x = [...records(5, 3), ...Array.from({ length: RECORDS - 5 }, () => [0n, 0n, 0n, 0n])]
    const committed = await dataChunkCommitment(x.flat(), 5, 1n, RECORDS * LINEAR_FEATURES)
    const committedModel = await modelCommitment(model, 2n)
    const input = (length: number) => ({
      x: x.map(r => r.map(String)),
      dataSalt: '1',
      dataCommitment: String(committed),
      weights: model.weights.map(w => String(toField(w))),
      bias: String(toField(model.bias)),
      modelSalt: '2',
      modelCommitment: String(committedModel),
      length: String(length),
      resultSalt: '3',
    })
    await expect(prove(input(5))).resolves.toBeDefined()
    // an extra output (a zero record's bias) counted, or the last record's dropped
    await expect(prove(input(6))).rejects.toThrow()
    await expect(prove(input(4))).rejects.toThrow()
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

/** A raw Groth16 proof of the linear circuit from a hand-made witness, past proveLinear's checks. */
const prove = (input: object) => {
  const dir = circuitDir('linear', RECORDS)
  return snarkjs.groth16.fullProve(
    input as never,
    join(dir, `linear_${RECORDS}_js/linear_${RECORDS}.wasm`),
    join(dir, `linear_${RECORDS}.zkey`),
  )
}

describe('ModelJobVerifier (linear) and JobVerifierRouter on chain', () => {
  it('completes a linear job over 2 chunks, and refuses a wrong result, reordered chunks, a swapped model and the wrong kind', async () => {
    const prover = CircuitProver.load('linear', RECORDS)
    const chain = await startProvingLedger({ statsSize: 8, linearRecords: RECORDS })
    try {
      const chunks = [records(8, 0), records(5, 9)]
      const dataSalts = [randomSalt(), randomSalt()]
      const modelSalt = randomSalt()
      const root = datasetRoot(
        await Promise.all(
          chunks.map((c, i) =>
            dataChunkCommitment(c.flat(), c.length, dataSalts[i]!, RECORDS * LINEAR_FEATURES),
          ),
        ),
      )
      const proven = await Promise.all(
        chunks.map((c, i) => proveLinear(prover, c, dataSalts[i]!, model, modelSalt)),
      )
      const proofs = proven.map(p => p.proof)
      const outputs = await openLinear(
        proofs,
        proven.map(p => p.opening),
      )
      expect(outputs).toEqual(predict(chunks.flat(), model))
      const result = linearResultHash(proofs)

      const forged = await chain.submitAndAssign('forged', 'linear', root)
      // a hash over other result commitments than the proofs state
      await refusedWith(
        chain.node.completeJob(
          forged,
          linearResultHash([proofs[0]!, proofs[0]!]),
          encodeLinearProofs(proofs),
          [],
        ),
        'JobsInvalidProof',
      )
      const { proof: otherModel } = await proveLinear(
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
      // the chunks in swapped order, with the result hash over that order: each chunk's
      // outputs handed to the other chunk's records. With sorted-pair Merkle hashing the
      // two leaves were interchangeable and the chain accepted this; ordered, it refuses.
      const swapped = [proofs[1]!, proofs[0]!]
      await refusedWith(
        chain.node.completeJob(forged, linearResultHash(swapped), encodeLinearProofs(swapped), []),
        'JobsInvalidProof',
      )
      expect(
        datasetRoot([linearOf(swapped[0]!).dataCommitment, linearOf(swapped[1]!).dataCommitment]),
      ).not.toBe(root)
      const { proof: statsChunk } = await proveStats(CircuitProver.load('stats', 8), [1n], 1n, 0n)
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
