/**
 * Prover candidates for jobs at real data sizes (#22, README design note 33), in one run
 * on the same values: today's Groth16 `stats` chunks of 32 values (snarkjs, in process)
 * against UltraHonk `stats` chunks of thousands of values (Noir witness, bb proof), by
 * values proven a second and by on-chain verification gas a value. Every UltraHonk proof
 * is checked by its Solidity verifier on an in-process chain, and a tampered one refused.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Contract, hexlify, type Signer } from 'ethers'
import { deployContract, startInProcessChain } from '../../dev-chain/index.ts'
import { loadArtifact } from '../../protocol/ledger/index.ts'
import {
  CircuitProver,
  dataChunkCommitment,
  groth16,
  proveStats,
  randomSalt,
  releaseProverThreads,
} from '../../protocol/proof/index.ts'
import { HONK_STATS_SIZES, honkDir, honkVerifierName } from '../honk/paths.ts'
import { HonkStatsProver } from '../honk/prove-stats.ts'
import { type BenchOptions, type BenchResult, ratioResult } from './measure.ts'

const GROTH16_SIZE = 32
const THRESHOLD = 50_000n

/** A generated verifier deployed, as a contract to call. */
async function deploy(signer: Signer, name: string): Promise<Contract> {
  const address = await deployContract(signer, `generated/${name}`)
  return new Contract(address, loadArtifact(`generated/${name}`).abi, signer)
}

const valuesOf = (count: number) =>
  Array.from({ length: count }, (_, i) => BigInt((i * 7919) % 100_000))

/** Groth16 over `chunks` chunks of 32: ms a value, and the verifier's gas for one chunk. */
async function groth16Run(prover: CircuitProver, verifier: Contract, chunks: number) {
  const values = valuesOf(chunks * GROTH16_SIZE)
  const started = performance.now()
  let last: Awaited<ReturnType<typeof proveStats>> | undefined
  for (let c = 0; c < chunks; c++) {
    const chunk = values.slice(c * GROTH16_SIZE, (c + 1) * GROTH16_SIZE)
    const salt = randomSalt()
    await dataChunkCommitment(chunk, chunk.length, salt, GROTH16_SIZE)
    last = await proveStats(prover, chunk, salt, THRESHOLD)
  }
  const msPerValue = (performance.now() - started) / values.length
  const gas = await verifier.verifyProof!.estimateGas(...groth16.calldata(last!.proof))
  return { msPerValue, gas }
}

/** One UltraHonk proof of `prover.size` values: ms a value (witness and proof), its verifier's gas. */
async function honkRun(prover: HonkStatsProver, verifier: Contract) {
  const started = performance.now()
  const proven = await prover.prove(valuesOf(prover.size), randomSalt(), THRESHOLD, randomSalt())
  const msPerValue = (performance.now() - started) / prover.size
  const proof = hexlify(proven.proof)
  if (!(await verifier.verify!(proof, proven.publicInputs)))
    throw new Error(`an UltraHonk stats_${prover.size} proof does not verify on chain`)
  const tampered = [...proven.publicInputs]
  tampered[0] = `0x${(BigInt(tampered[0]!) + 1n).toString(16).padStart(64, '0')}`
  if (await verifier.verify!(proof, tampered).catch(() => false))
    throw new Error('an UltraHonk proof verified with a changed length')
  const gas = await verifier.verify!.estimateGas(proof, proven.publicInputs)
  return { msPerValue, gas, witnessMs: proven.witnessMs, proveMs: proven.proveMs }
}

export async function benchProvers(options: BenchOptions): Promise<BenchResult[]> {
  if (HONK_STATS_SIZES.some(size => !existsSync(join(honkDir(size), 'hash'))))
    execFileSync('node', ['scripts/setup-honk.ts'], {
      stdio: 'inherit',
      cwd: new URL('../..', import.meta.url).pathname,
    })
  const runs = options.quick ? 1 : 3
  const grothChunks = options.quick ? 4 : 16
  const chain = await startInProcessChain()
  try {
    const signer = await chain.provider.getSigner(0)
    const grothProver = CircuitProver.load('stats', GROTH16_SIZE)
    const grothVerifier = await deploy(signer, `StatsGroth16Verifier${GROTH16_SIZE}`)
    // the first Groth16 proof builds snarkjs's curve and workers: not part of any figure
    await groth16Run(grothProver, grothVerifier, 1)
    const results: BenchResult[] = []
    for (const size of HONK_STATS_SIZES) {
      const prover = new HonkStatsProver(size)
      const verifier = await deploy(signer, honkVerifierName(size))
      const groth = { ms: [] as number[], gas: 0n }
      const honk = { ms: [] as number[], gas: 0n, witnessMs: 0, proveMs: 0 }
      for (let run = 0; run < runs; run++) {
        const g = await groth16Run(grothProver, grothVerifier, grothChunks)
        groth.ms.push(g.msPerValue)
        groth.gas = g.gas
        const h = await honkRun(prover, verifier)
        honk.ms.push(h.msPerValue)
        Object.assign(honk, {
          gas: h.gas,
          witnessMs: Math.round(h.witnessMs),
          proveMs: Math.round(h.proveMs),
        })
      }
      const detail = {
        honkValuesPerProof: size,
        honkWitnessMs: honk.witnessMs,
        honkProveMs: honk.proveMs,
        honkVerifyGas: Number(honk.gas),
        groth16ValuesPerProof: GROTH16_SIZE,
        groth16VerifyGas: Number(groth.gas),
      }
      const id = `provers.stats_honk_${size}`
      results.push(
        {
          ...ratioResult(
            {
              id: `${id}.values_per_s.vs_groth16_stats_${GROTH16_SIZE}`,
              baseline: `today's path: Groth16 stats chunks of ${GROTH16_SIZE} values, committed and proven in process (values/s)`,
              target: '>= 30',
              sampleUnit: 'ms a value',
            },
            { ours: honk.ms, baseline: groth.ms },
            (ours, base) => base / ours,
          ),
          detail,
        },
        {
          ...ratioResult(
            {
              id: `${id}.verify_gas_per_value.vs_groth16_stats_${GROTH16_SIZE}`,
              baseline: `one Groth16 stats_${GROTH16_SIZE} proof's verifier call, a value (gas)`,
              target: null,
              sampleUnit: 'gas a value',
            },
            { ours: [Number(honk.gas) / size], baseline: [Number(groth.gas) / GROTH16_SIZE] },
            (ours, base) => ours / base,
          ),
          detail,
        },
      )
    }
    return results
  } finally {
    await chain.close()
    await releaseProverThreads()
  }
}
