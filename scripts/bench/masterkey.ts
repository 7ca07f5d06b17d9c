/**
 * Master-key derivation without the KDF (seed → deterministic RSA key) against
 * node:crypto's random generateKeyPair of the same size: the price of determinism.
 */
import { generateKeyPairSync } from 'node:crypto'
import { type MasterKeySize, masterKeyPairFromSeed } from '../../protocol/crypto/index.ts'
import { type BenchOptions, type BenchResult, interleave, ratioResult, timeMs } from './measure.ts'

export function benchMasterKey(options: BenchOptions): BenchResult[] {
  const plan: [MasterKeySize, number][] = options.quick
    ? [
        [2048, 15],
        [4096, 5],
      ]
    : [
        [2048, 41],
        [3072, 15],
        [4096, 15],
      ]
  const results: BenchResult[] = []
  for (const [bits, runs] of plan) {
    // prime search time varies a lot from seed to seed: a fresh seed per run, many runs
    const samples = interleave(
      runs,
      i => timeMs(() => masterKeyPairFromSeed(new Uint8Array(48).fill(i + 1), bits)),
      () => timeMs(() => generateKeyPairSync('rsa', { modulusLength: bits })),
    )
    results.push(
      ratioResult(
        {
          id: `masterkey.rsa${bits}.vs_native`,
          baseline: `node:crypto generateKeyPairSync rsa ${bits} (random)`,
          target: bits === 3072 ? null : '<= 1.5',
          sampleUnit: 'ms per key',
        },
        samples,
        (ours, base) => ours / base,
      ),
    )
  }
  const forgeRuns = options.quick ? 3 : 7
  const forge = interleave(
    forgeRuns,
    i => timeMs(() => masterKeyPairFromSeed(new Uint8Array(48).fill(i + 100), 2048, 'forge')),
    () => timeMs(() => generateKeyPairSync('rsa', { modulusLength: 2048 })),
  )
  results.push(
    ratioResult(
      {
        id: 'masterkey.rsa2048_purejs.vs_native',
        baseline: 'node:crypto generateKeyPairSync rsa 2048 (random)',
        target: null,
        sampleUnit: 'ms per key',
      },
      forge,
      (ours, base) => ours / base,
    ),
  )
  return results
}
