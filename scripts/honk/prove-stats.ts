/**
 * The UltraHonk candidate's prover for `stats` (README design note 33): the witness by
 * noir_js (ACVM in WASM), the proof by the `bb` that @aztec/bb.js ships, one process per
 * proof, against circuits/build/honk (npm run setup:honk). Bench code, not yet a
 * ProofSystem: bb checks proofs only against Ignition's τ·G2, so with the development
 * reference string they are checked by the Solidity verifier, on chain.
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Noir } from '@noir-lang/noir_js'
import { runQuietly } from '../run-quietly.ts'
import { BB, honkDir, honkReferenceString } from './paths.ts'

export interface HonkProof {
  /** The proof bytes the Solidity verifier takes. */
  proof: Uint8Array
  /** Its public inputs, 32 bytes each: length, then the chunk and result commitments. */
  publicInputs: string[]
  witnessMs: number
  proveMs: number
}

export class HonkStatsProver {
  readonly size: number
  readonly #noir: Noir
  readonly #dir: string

  constructor(size: number) {
    this.size = size
    this.#dir = honkDir(size)
    this.#noir = new Noir(JSON.parse(readFileSync(join(this.#dir, 'program.json'), 'utf8')))
  }

  async prove(
    values: readonly bigint[],
    salt: bigint,
    threshold: bigint,
    resultSalt: bigint,
  ): Promise<HonkProof> {
    const padded = [...values, ...Array<bigint>(this.size - values.length).fill(0n)]
    let started = performance.now()
    const { witness } = await this.#noir.execute({
      values: padded.map(String),
      salt: String(salt),
      length: String(values.length),
      threshold: String(threshold),
      result_salt: String(resultSalt),
    })
    const witnessMs = performance.now() - started
    const work = mkdtempSync(join(tmpdir(), 'sealnet-honk-'))
    try {
      writeFileSync(join(work, 'witness.gz'), witness)
      started = performance.now()
      runQuietly(
        BB,
        [
          'prove',
          '-b',
          join(this.#dir, 'program.json'),
          '-w',
          join(work, 'witness.gz'),
          '-k',
          join(this.#dir, 'vk'),
          '-o',
          work,
          '-t',
          'evm',
          '-c',
          honkReferenceString(),
        ],
        'bb prove',
      )
      const proveMs = performance.now() - started
      const inputs = readFileSync(join(work, 'public_inputs'))
      return {
        proof: readFileSync(join(work, 'proof')),
        publicInputs: Array.from(
          { length: inputs.length / 32 },
          (_, i) => `0x${inputs.subarray(i * 32, (i + 1) * 32).toString('hex')}`,
        ),
        witnessMs,
        proveMs,
      }
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }
}
