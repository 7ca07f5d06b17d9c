import { join } from 'node:path'
import * as snarkjs from 'snarkjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refusedWith } from '../../test/ledger-fixture.ts'
import { startProvingLedger } from '../../test/proving-ledger.ts'
import { dataChunkCommitment, randomSalt } from './chunk-commitment.ts'
import { circuitDir, LINEAR_FEATURES, MLP_HIDDEN, MLP_RECORDS } from './circuits.ts'
import { datasetRoot } from './dataset-root.ts'
import { CircuitProver, releaseProverThreads, verifyChunkProof } from './groth16.ts'
import {
  encodeLinearProofs,
  linearOf,
  linearResultCommitment,
  linearResultHash,
  openLinear,
  proveLinear,
  toField,
} from './linear-proof.ts'
import {
  computeMlp,
  encodeMlpProofs,
  type MlpModel,
  mlpModelCommitment,
  proveMlp,
} from './mlp-proof.ts'

const RECORDS = MLP_RECORDS
const hasName = (name: string) => expect.objectContaining({ name })

// 3 hidden units (padded to MLP_HIDDEN): units 0 and 1 are negative for most records, so ReLU cuts them
const model: MlpModel = {
  hiddenWeights: [
    [3n, -2n, 0n, 1n],
    [-4n, 1n, -1n, 0n],
    [1n, 1n, 1n, 1n],
  ],
  hiddenBiases: [-100n, 50n, 0n],
  outputWeights: [2n, 20n, -1n],
  outputBias: 7n,
}

/** The network written out by hand, unit by unit, to hold computeMlp and the circuit to. */
function predict(records: bigint[][], m: MlpModel): bigint[] {
  return records.map(x => {
    let y = m.outputBias
    for (let k = 0; k < m.hiddenWeights.length; k++) {
      let pre = m.hiddenBiases[k]!
      for (let j = 0; j < x.length; j++) pre += m.hiddenWeights[k]![j]! * x[j]!
      if (pre > 0n) y += m.outputWeights[k]! * pre
    }
    return y
  })
}

const records = (n: number, seed: number) =>
  Array.from({ length: n }, (_, r) =>
    Array.from({ length: LINEAR_FEATURES }, (_, j) => BigInt(((r + seed) * 37 + j * 13) % 60)),
  )

describe('mlp circuit', () => {
  let prover: CircuitProver
  beforeAll(() => {
    prover = CircuitProver.load('mlp', RECORDS)
  })
  afterAll(() => releaseProverThreads())

  it('computeMlp matches the hand-written network, with cut units and negative outputs', () => {
    const data = records(12, 0)
    expect(computeMlp(data, model)).toEqual(predict(data, model))
    // the test data exercises both sides of ReLU and both signs of the output
    const pre1 = data.map(x => model.hiddenWeights[1]!.reduce((a, w, j) => a + w * x[j]!, 50n))
    expect(pre1.some(p => p < 0n) && pre1.some(p => p > 0n)).toBe(true)
    const outputs = computeMlp(data, model)
    expect(outputs.some(y => y < 0n) && outputs.some(y => y > 0n)).toBe(true)
  })

  it.each([
    ['a full chunk', RECORDS],
    ['a short chunk (padded rows must output nothing)', 1],
  ])(
    'proves %s: the opening holds the outputs computed in JS, and the proof verifies',
    async (_, n) => {
      const data = records(n, 1)
      const [dataSalt, modelSalt] = [randomSalt(), randomSalt()]
      const { proof, opening } = await proveMlp(prover, data, dataSalt, model, modelSalt)
      expect(opening.outputs).toEqual(predict(data, model))
      expect(linearOf(proof)).toEqual({
        resultCommitment: await linearResultCommitment(opening, RECORDS),
        dataCommitment: await dataChunkCommitment(
          data.flat(),
          n,
          dataSalt,
          RECORDS * LINEAR_FEATURES,
        ),
        modelCommitment: await mlpModelCommitment(model, modelSalt),
        length: n,
      })
      for (const y of opening.outputs) expect(proof.publicSignals).not.toContain(String(toField(y)))
      expect(proof.circuit).toBe('mlp')
      expect(await verifyChunkProof(proof)).toBe(true)
    },
  )

  it('refuses a proof whose result commitment was changed, and openings that differ', async () => {
    const { proof, opening } = await proveMlp(prover, records(3, 2), randomSalt(), model, 1n)
    const forged = {
      ...proof,
      publicSignals: proof.publicSignals.map((s, i) => (i === 0 ? String(BigInt(s) + 1n) : s)),
    }
    expect(await verifyChunkProof(forged)).toBe(false)
    await expect(
      openLinear(
        [proof],
        [{ ...opening, outputs: [opening.outputs[0]! + 1n, ...opening.outputs.slice(1)] }],
      ),
    ).rejects.toThrow(hasName('ResultOpeningError'))
  })

  it('a unit with a negative pre-activation adds nothing, and a model other than the committed one proves nothing', async () => {
    // one record, one unit with pre-activation −10: the true output is the bias alone
    const m: MlpModel = {
      hiddenWeights: [[1n, 0n, 0n, 0n]],
      hiddenBiases: [-12n],
      outputWeights: [1n],
      outputBias: 0n,
    }
    const x = [[2n, 0n, 0n, 0n], ...Array.from({ length: RECORDS - 1 }, () => [0n, 0n, 0n, 0n])]
    const pad = (v: bigint[], fill: bigint) => [
      ...v,
      ...Array<bigint>(MLP_HIDDEN - v.length).fill(fill),
    ]
    const field = (v: bigint) => String(toField(v))
    const input = {
      x: x.map(r => r.map(String)),
      dataSalt: '1',
      dataCommitment: String(await dataChunkCommitment(x.flat(), 1, 1n, RECORDS * LINEAR_FEATURES)),
      w1: pad([1n], 0n).map((w, k) => (k === 0 ? [w, 0n, 0n, 0n] : [0n, 0n, 0n, 0n]).map(field)),
      b1: pad([-12n], 0n).map(field),
      w2: pad([1n], 0n).map(field),
      b2: '0',
      modelSalt: '2',
      modelCommitment: String(await mlpModelCommitment(m, 2n)),
      length: '1',
      resultSalt: '3',
    }
    const { publicSignals } = await prove(input)
    const honest = await linearResultCommitment({ outputs: [0n], salt: 3n }, RECORDS)
    expect(BigInt(publicSignals[0]!)).toBe(honest)
    await expect(prove({ ...input, b1: pad([-11n], 0n).map(field) })).rejects.toThrow()
  })

  it('throws InvalidWitnessError for a model or records the circuit cannot take', async () => {
    const refused = (m: MlpModel, data = records(1, 0)) =>
      expect(proveMlp(prover, data, 1n, m, 1n)).rejects.toThrow(hasName('InvalidWitnessError'))
    await refused({
      ...model,
      hiddenWeights: [[2n ** 16n, 0n, 0n, 0n], ...model.hiddenWeights.slice(1)],
    })
    await refused({ ...model, outputWeights: [1n, 2n] })
    const wide = Array.from({ length: MLP_HIDDEN + 1 }, () => [1n, 1n, 1n, 1n])
    await refused({
      hiddenWeights: wide,
      hiddenBiases: wide.map(() => 0n),
      outputWeights: wide.map(() => 1n),
      outputBias: 0n,
    })
    await refused(model, [[1n, 2n]])
    await refused(model, records(RECORDS + 1, 0))
  })
})

/** A raw Groth16 proof of the mlp circuit from a hand-made witness, past proveMlp's checks. */
const prove = (input: object) => {
  const dir = circuitDir('mlp', RECORDS)
  return snarkjs.groth16.fullProve(
    input as never,
    join(dir, `mlp_${RECORDS}_js/mlp_${RECORDS}.wasm`),
    join(dir, `mlp_${RECORDS}.zkey`),
  )
}

describe('ModelJobVerifier for mlp on chain', () => {
  it('completes an mlp job over 2 chunks, and refuses linear proofs, another model and a wrong hash', async () => {
    const prover = CircuitProver.load('mlp', RECORDS)
    const chain = await startProvingLedger({ statsSize: 8, linearRecords: 8 })
    try {
      const chunks = [records(RECORDS, 0), records(2, 9)]
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
        chunks.map((c, i) => proveMlp(prover, c, dataSalts[i]!, model, modelSalt)),
      )
      const proofs = proven.map(p => p.proof)
      const result = linearResultHash(proofs)
      const job = await chain.submitAndAssign('mlp job', 'mlp', root)
      await refusedWith(
        chain.node.completeJob(
          job,
          linearResultHash([proofs[0]!, proofs[0]!]),
          encodeMlpProofs(proofs),
          [],
        ),
        'JobsInvalidProof',
      )
      const { proof: otherModel } = await proveMlp(
        prover,
        chunks[1]!,
        dataSalts[1]!,
        { ...model, outputBias: 8n },
        modelSalt,
      )
      await refusedWith(
        chain.node.completeJob(job, result, encodeMlpProofs([proofs[0]!, otherModel]), []),
        'JobsInvalidProof',
      )
      // linear proofs over the same committed chunks (8-record circuit, other data layout
      // size) are not mlp proofs: the mlp adapter's verifier refuses them
      const linear = await proveLinear(
        CircuitProver.load('linear', 8),
        chunks[1]!,
        dataSalts[1]!,
        { weights: [1n, 1n, 1n, 1n], bias: 0n },
        modelSalt,
      )
      await refusedWith(
        chain.node.completeJob(
          job,
          linearResultHash([proofs[0]!, linear.proof]),
          encodeLinearProofs([proofs[0]!, linear.proof]),
          [],
        ),
        'JobsInvalidProof',
      )
      await chain.node.completeJob(job, result, encodeMlpProofs(proofs), [])
      expect(Number((await chain.owner.jobs.job!(job)).status)).toBe(3)
      const outputs = await openLinear(
        proofs,
        proven.map(p => p.opening),
      )
      expect(outputs).toEqual(predict(chunks.flat(), model))
    } finally {
      await chain.fixture.chain.close()
      await releaseProverThreads()
    }
  })
})
