/**
 * Coretex-compatible node-key derivation against (1) Coretex's own code, pycryptodome,
 * run on the same secrets in this run when Debian's python3-pycryptodome is installed,
 * and (2) node:crypto's random RSA-2048 keygen.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { deriveCoretexNodeKey } from '../../protocol/compat/coretex/index.ts'
import { type BenchOptions, type BenchResult, ratioResult, timeMs } from './measure.ts'

const PYTHON = '/usr/bin/python3'
const REFERENCE = new URL('../coretex-reference.py', import.meta.url).pathname

function pycryptodomeAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import Cryptodome'], { stdio: 'ignore' }).status === 0
}

export function benchCoretex(options: BenchOptions): BenchResult[] {
  const secrets = Array.from({ length: options.quick ? 9 : 25 }, (_, i) => `bench-node-${i}`)
  const ours = secrets.map(secret => timeMs(() => deriveCoretexNodeKey(secret)))
  const results = [
    ratioResult(
      {
        id: 'coretex.rsa2048.vs_native',
        baseline: 'node:crypto generateKeyPairSync rsa 2048 (random)',
        target: null,
        sampleUnit: 'ms per key',
      },
      {
        ours,
        baseline: secrets.map(() =>
          timeMs(() => generateKeyPairSync('rsa', { modulusLength: 2048 })),
        ),
      },
      (o, b) => o / b,
    ),
  ]
  if (!pycryptodomeAvailable()) {
    process.stderr.write(
      'bench: coretex.rsa2048.vs_pycryptodome skipped: apt-get install python3-pycryptodome to measure it\n',
    )
    return results
  }
  const theirs = JSON.parse(
    execFileSync(PYTHON, [REFERENCE, '--timings', ...secrets], { encoding: 'utf8' }),
  ) as number[]
  results.push(
    ratioResult(
      {
        id: 'coretex.rsa2048.vs_pycryptodome',
        baseline: "Coretex's own derivation (pycryptodome RSA.generate) on the same secrets",
        // the issue asks for ≤ 1 s median; being no slower than Coretex itself is stricter here
        target: '<= 1',
        sampleUnit: 'ms per key',
      },
      { ours, baseline: theirs },
      (o, b) => o / b,
    ),
  )
  return results
}
