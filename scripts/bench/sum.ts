/**
 * Sums: the same total of the same values by two paths, on one machine.
 *
 * - Paillier (`sum` jobs): members encrypt each value under a 2048-bit key, a node
 *   multiplies the ciphertexts, the key holder decrypts the total. Nobody but the key
 *   holder reads any number, but there is no proof: the result is re-checked by re-adding.
 * - The `stats` circuit (the baseline): the node reads the values, commits each chunk and
 *   proves its sum (threshold 0), the submitter verifies every proof.
 *
 * Time covers every party's work; size is what a node stores per value and what the
 * submitter receives as the result (the encrypted total, against the chunk proofs).
 *
 * And encryption alone: Sealnet's (short randomizer, OpenSSL exponentiation) against
 * paillier-bigint's `encrypt` of the same values under the same key, interleaved.
 */
import {
  addPaillier,
  ciphertextToHex,
  decryptPaillier,
  encryptPaillier,
  generatePaillierKeys,
} from '../../protocol/crypto/index.ts'
import { DEFAULT_VERIFIER_SIZES } from '../../protocol/ledger/index.ts'
import {
  CircuitProver,
  dataChunkCommitment,
  encodeStatsProofs,
  openStats,
  type ProvenStats,
  proveStats,
  randomSalt,
  releaseProverThreads,
  verifyChunkProof,
} from '../../protocol/proof/index.ts'
import {
  type BenchOptions,
  type BenchResult,
  interleave,
  ratioResult,
  timeMs,
  timeMsAsync,
} from './measure.ts'

const SIZE = DEFAULT_VERIFIER_SIZES.statsSize

export async function benchSum(options: BenchOptions): Promise<BenchResult[]> {
  const chunks = options.quick ? 1 : 4
  const runs = options.quick ? 1 : 3
  const values = Array.from({ length: chunks * SIZE }, (_, i) => BigInt((i * 7919) % 100_000))
  const expected = values.reduce((a, b) => a + b)
  const { publicKey, privateKey } = await generatePaillierKeys(2048)
  const prover = CircuitProver.load('stats', SIZE)

  const paillier = { total: [] as number[], node: [] as number[] }
  const stats = { total: [] as number[], node: [] as number[] }
  let storedPaillier = 0
  let storedStats = 0
  let resultPaillier = 0
  let resultStats = 0
  for (let run = 0; run < runs; run++) {
    let ciphertexts: bigint[] = []
    let total = 0n
    let nodeMs = 0
    paillier.total.push(
      await timeMsAsync(async () => {
        ciphertexts = values.map(v => encryptPaillier(publicKey, v))
        nodeMs = await timeMsAsync(async () => {
          total = addPaillier(publicKey, ciphertexts)
        })
        if (decryptPaillier(privateKey, total) !== expected)
          throw new Error('Paillier sum is wrong')
      }),
    )
    paillier.node.push(nodeMs)
    storedPaillier = chunkBytes({
      ciphertexts: ciphertexts.map(c => ciphertextToHex(publicKey, c)),
    })
    resultPaillier = ciphertextToHex(publicKey, total).length / 2

    let proven: ProvenStats[] = []
    stats.total.push(
      await timeMsAsync(async () => {
        nodeMs = await timeMsAsync(async () => {
          proven = []
          for (let c = 0; c < chunks; c++) {
            const chunk = values.slice(c * SIZE, (c + 1) * SIZE)
            const salt = randomSalt()
            await dataChunkCommitment(chunk, chunk.length, salt, SIZE)
            proven.push(await proveStats(prover, chunk, salt, 0n))
          }
        })
        const proofs = proven.map(p => p.proof)
        for (const proof of proofs)
          if (!(await verifyChunkProof(proof))) throw new Error('a stats proof does not verify')
        const opened = await openStats(
          proofs,
          proven.map(p => p.opening),
          0n,
        )
        if (opened.sum !== expected) throw new Error('stats sum is wrong')
      }),
    )
    stats.node.push(nodeMs)
    storedStats = chunkBytes({ values: values.map(String), salt: String(randomSalt()) })
    resultStats = (encodeStatsProofs(proven.map(p => p.proof)).length - 2) / 2
  }
  await releaseProverThreads()

  const detail = { values: values.length, paillierBits: 2048, statsChunk: SIZE }
  const figure = (
    what: string,
    baseline: string,
    sampleUnit: string,
    samples: { ours: number[]; baseline: number[] },
  ): BenchResult => ({
    ...ratioResult(
      { id: `sum.paillier_${values.length}.${what}.vs_stats`, baseline, target: null, sampleUnit },
      samples,
      (ours, base) => ours / base,
    ),
    detail,
  })
  const encryptRuns = options.quick ? 3 : 9
  const batch = values.slice(0, 16)
  const encrypt = interleave(
    encryptRuns,
    () => timeMs(() => batch.map(v => encryptPaillier(publicKey, v))) / batch.length,
    () => timeMs(() => batch.map(v => publicKey.encrypt(v))) / batch.length,
  )
  return [
    {
      ...ratioResult(
        {
          id: 'sum.paillier_encrypt.vs_paillier_bigint',
          baseline: "paillier-bigint's encrypt of the same values, same 2048-bit key (ms a value)",
          target: '>= 10',
          sampleUnit: 'ms',
        },
        encrypt,
        (ours, base) => base / ours,
      ),
      detail: { paillierBits: 2048, valuesPerRun: batch.length },
    },
    figure(
      'total_time',
      `the same sum by the stats circuit: commit, prove ${chunks} chunk(s), verify (ms)`,
      'ms',
      { ours: paillier.total, baseline: stats.total },
    ),
    figure('node_time', 'the node proving the same chunks with the stats circuit (ms)', 'ms', {
      ours: paillier.node,
      baseline: stats.node,
    }),
    figure(
      'stored_bytes',
      'the same values as a stats dataset chunk (JSON bytes before sealing)',
      'bytes',
      { ours: [storedPaillier], baseline: [storedStats] },
    ),
    figure('result_bytes', "the stats job's chunk proofs as recorded on chain (bytes)", 'bytes', {
      ours: [resultPaillier],
      baseline: [resultStats],
    }),
  ]
}

function chunkBytes(payload: unknown): number {
  return Buffer.byteLength(JSON.stringify(payload))
}
