/**
 * Proofs: the in-process prover (wasm and proving key loaded once) against the snarkjs
 * CLI's `groth16 fullprove` on the same input, off-chain verification against
 * `snarkjs groth16 verify`, and on-chain verification gas against a plain transfer.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Contract } from 'ethers'
import * as snarkjs from 'snarkjs'
import { deployJobVerifiers, startInProcessChain } from '../../dev-chain/index.ts'
import { JOB_KINDS } from '../../protocol/job-kinds/index.ts'
import { loadArtifact } from '../../protocol/ledger/index.ts'
import {
  type ChunkProof,
  CircuitProver,
  circuitDir,
  dataChunkCommitment,
  datasetRoot,
  encodeLinearProofs,
  encodeMlpProofs,
  encodeStatsProofs,
  LINEAR_FEATURES,
  linearOf,
  linearResultHash,
  MLP_HIDDEN,
  type MlpModel,
  mlpModelCommitment,
  modelCommitment,
  proveLinear,
  proveMlp,
  proveStats,
  releaseProverThreads,
  statsOf,
  statsResultHash,
  toField,
  verifyChunkProof,
} from '../../protocol/proof/index.ts'
import { type BenchOptions, type BenchResult, ratioResult, timeMs, timeMsAsync } from './measure.ts'

const SNARKJS = new URL('../../node_modules/snarkjs/build/cli.cjs', import.meta.url).pathname
const model = { weights: [3n, -20n, 1n, 7n], bias: -5n }
/** Every hidden unit used (the circuit's full width), some of them cut by ReLU. */
const mlpModel: MlpModel = {
  hiddenWeights: Array.from({ length: MLP_HIDDEN }, (_, k) =>
    Array.from({ length: LINEAR_FEATURES }, (_, j) => BigInt(((k * 7 + j * 3) % 11) - 5)),
  ),
  hiddenBiases: Array.from({ length: MLP_HIDDEN }, (_, k) => BigInt(k * 100 - 300)),
  outputWeights: Array.from({ length: MLP_HIDDEN }, (_, k) => BigInt(k - 3)),
  outputBias: 17n,
}

interface Case {
  circuit: 'stats' | 'linear' | 'mlp'
  size: number
  input: Record<string, unknown>
  prove(prover: CircuitProver): Promise<ChunkProof>
  /** (inputCommitment, resultHash, proof bytes) for the job adapter. */
  job(chunk: ChunkProof): Promise<[string, string, string]>
}

async function statsCase(size: number): Promise<Case> {
  const values = Array.from({ length: size }, (_, i) => BigInt((i * 7919) % 100_000))
  const commitment = await dataChunkCommitment(values, values.length, 1n, size)
  return {
    circuit: 'stats',
    size,
    input: {
      values: values.map(String),
      salt: '1',
      commitment: String(commitment),
      threshold: '0',
      length: String(size),
      resultSalt: '3',
    },
    prove: async prover => (await proveStats(prover, values, 1n, 0n)).proof,
    job: async chunk => [
      datasetRoot([statsOf(chunk).commitment]),
      statsResultHash([chunk]),
      encodeStatsProofs([chunk]),
    ],
  }
}

/** `size` records of LINEAR_FEATURES features, the same in every run. */
const benchRecords = (size: number) =>
  Array.from({ length: size }, (_, r) =>
    Array.from({ length: LINEAR_FEATURES }, (_, j) => BigInt((r * 31 + j * 17) % 1000)),
  )

async function linearCase(size: number): Promise<Case> {
  const records = benchRecords(size)
  const [data, m] = [
    await dataChunkCommitment(records.flat(), records.length, 1n, size * LINEAR_FEATURES),
    await modelCommitment(model, 2n),
  ]
  return {
    circuit: 'linear',
    size,
    input: {
      x: records.map(r => r.map(String)),
      dataSalt: '1',
      dataCommitment: String(data),
      weights: model.weights.map(w => String(toField(w))),
      bias: String(toField(model.bias)),
      modelSalt: '2',
      modelCommitment: String(m),
      length: String(size),
      resultSalt: '3',
    },
    prove: async prover => (await proveLinear(prover, records, 1n, model, 2n)).proof,
    job: async chunk => [
      datasetRoot([linearOf(chunk).dataCommitment]),
      linearResultHash([chunk]),
      encodeLinearProofs([chunk]),
    ],
  }
}

async function mlpCase(size: number): Promise<Case> {
  const records = benchRecords(size)
  const field = (v: bigint) => String(toField(v))
  return {
    circuit: 'mlp',
    size,
    input: {
      x: records.map(r => r.map(String)),
      dataSalt: '1',
      dataCommitment: String(
        await dataChunkCommitment(records.flat(), records.length, 1n, size * LINEAR_FEATURES),
      ),
      w1: mlpModel.hiddenWeights.map(row => row.map(field)),
      b1: mlpModel.hiddenBiases.map(field),
      w2: mlpModel.outputWeights.map(field),
      b2: field(mlpModel.outputBias),
      modelSalt: '2',
      modelCommitment: String(await mlpModelCommitment(mlpModel, 2n)),
      length: String(size),
      resultSalt: '3',
    },
    prove: async prover => (await proveMlp(prover, records, 1n, mlpModel, 2n)).proof,
    job: async chunk => [
      datasetRoot([linearOf(chunk).dataCommitment]),
      linearResultHash([chunk]),
      encodeMlpProofs([chunk]),
    ],
  }
}

export async function benchProof(options: BenchOptions): Promise<BenchResult[]> {
  const runs = options.quick ? 3 : 7
  const cases = options.quick
    ? [await statsCase(8), await linearCase(8), await mlpCase(4)]
    : [await statsCase(32), await linearCase(16), await mlpCase(4)]
  const dir = mkdtempSync(join(tmpdir(), 'sealnet-bench-proof-'))
  const chain = await startInProcessChain()
  const results: BenchResult[] = []
  try {
    const signer = await chain.provider.getSigner(0)
    const sizes = { statsSize: cases[0]!.size, linearRecords: cases[1]!.size }
    const router = new Contract(
      await deployJobVerifiers(signer, sizes),
      loadArtifact('JobVerifierRouter').abi,
      chain.provider,
    )
    for (const c of cases) {
      const base = `${c.circuit}_${c.size}`
      const build = circuitDir(c.circuit, c.size)
      const [wasm, zkey, vkey] = [
        join(build, `${base}_js/${base}.wasm`),
        join(build, `${base}.zkey`),
        join(build, 'vkey.json'),
      ]
      const { nConstraints } = (await snarkjs.r1cs.info(join(build, `${base}.r1cs`))) as {
        nConstraints: number
      }
      writeFileSync(join(dir, 'input.json'), JSON.stringify(c.input))
      const cli = (...args: string[]) =>
        execFileSync(process.execPath, [SNARKJS, ...args], { stdio: 'ignore' })
      const prover = CircuitProver.load(c.circuit, c.size)
      const chunk = await c.prove(prover) // warm-up: curve and witness calculator set up once
      const prove = { ours: [] as number[], baseline: [] as number[] }
      const verify = { ours: [] as number[], baseline: [] as number[] }
      for (let i = 0; i < runs; i++) {
        prove.baseline.push(
          timeMs(() =>
            cli(
              'groth16',
              'fullprove',
              join(dir, 'input.json'),
              wasm,
              zkey,
              join(dir, 'proof.json'),
              join(dir, 'public.json'),
            ),
          ),
        )
        prove.ours.push(await timeMsAsync(() => c.prove(prover)))
        verify.baseline.push(
          timeMs(() =>
            cli('groth16', 'verify', vkey, join(dir, 'public.json'), join(dir, 'proof.json')),
          ),
        )
        verify.ours.push(await timeMsAsync(() => verifyChunkProof(chunk)))
      }
      const [inputCommitment, resultHash, proofBytes] = await c.job(chunk)
      const args = [JOB_KINDS[c.circuit], inputCommitment, resultHash, proofBytes, []] as const
      if (!(await router.getFunction('verifyJobProof')(...args)))
        throw new Error(`bench: ${base} proof did not verify on chain`)
      const gas = Number(await router.getFunction('verifyJobProof').estimateGas(...args))
      const speedup = (o: number, b: number) => b / o
      results.push(
        ratioResult(
          {
            id: `proof.${base}.prove.vs_snarkjs_cli`,
            baseline: 'snarkjs CLI groth16 fullprove, same input (proofs/s)',
            target: '>= 1',
            sampleUnit: 'ms per proof',
          },
          prove,
          speedup,
        ),
        ratioResult(
          {
            id: `proof.${base}.verify.vs_snarkjs_cli`,
            baseline: 'snarkjs CLI groth16 verify, same proof (verifications/s)',
            target: '>= 1',
            sampleUnit: 'ms per verification',
          },
          verify,
          speedup,
        ),
        {
          id: `proof.${base}.onchain_gas.vs_transfer`,
          value: Number((gas / 21_000).toFixed(2)),
          unit: 'ratio',
          baseline: 'a plain ETH transfer (21 000 gas)',
          target: null,
          meets: null,
          median: { ours: gas, baseline: 21_000 },
          spread: { ours: [gas, gas], baseline: [21_000, 21_000] },
          sampleUnit: 'gas for one chunk via the router',
          runs: 1,
          detail: { constraints: nConstraints, publicSignals: chunk.publicSignals.length },
        },
      )
      // what a proof covers: values for stats, records (model outputs) for linear and mlp
      const perProof = c.circuit === 'stats' ? 'valuesPerProof' : 'recordsPerProof'
      const perSecond = c.circuit === 'stats' ? 'valuesPerSecond' : 'recordsPerSecond'
      const medianMs = results.at(-3)!.median.ours
      results.at(-3)!.detail = {
        constraints: nConstraints,
        [perProof]: c.size,
        [perSecond]: Number(((c.size * 1000) / medianMs).toFixed(1)),
      }
    }
  } finally {
    await chain.close()
    await releaseProverThreads()
  }
  return results
}
