/**
 * npm run setup:honk [-- --sizes 4096]
 *
 * Builds the UltraHonk candidate prover's `stats` circuit (circuits/noir/stats, compiled
 * by noir_wasm), its verification key and its Solidity verifier (both by the `bb` that
 * ships inside @aztec/bb.js), into circuits/build/honk/ and contracts/generated/ (both
 * ignored), rebuilt only when the sources, sizes or tool versions change.
 *
 * The reference string (powers of a secret τ in G1, τ in G2) is made here from a fixed
 * development τ: fine for measuring and testing, worthless for production, which needs a
 * ceremony's (Aztec's Ignition transcript, in bb's `bn254_g1.dat` / `bn254_g2.dat` form).
 * bb's Solidity verifier has Ignition's τ·G2 built in; this script writes ours in its place.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { compile, createFileManager } from '@noir-lang/noir_wasm'
import { buildBn128 } from 'ffjavascript'
import {
  BB,
  HONK_STATS_SIZES,
  honkDir,
  honkReferenceString,
  honkVerifierName,
} from './honk/paths.ts'
import { runQuietly } from './run-quietly.ts'

const ROOT = new URL('..', import.meta.url).pathname
const SOURCE = join(ROOT, 'circuits/noir/stats')
const GENERATED = join(ROOT, 'contracts/generated')
/** Ignition's τ·G2 as bb's verifier writes it (x.c1, x.c0, y.c1, y.c0). */
const IGNITION_TAU_G2 = [
  '0x260e01b251f6f1c7e7ff4e580791dee8ea51d87a358e038b4efe30fac09383c1',
  '0x0118c4d5b837bcc2bc89b5b398b5974e9f5944073b32078b7e231fec938883b0',
  '0x04fc6369f7110fe3d25156c1bb9a72859cf2a04641f99ba4ee413c80da6a5fe4',
  '0x22febda3c0c0632a56475b4214e5615e11e6dd3f96e6cea2854a87d4dacc5e55',
]
/** Points in the reference string: room for circuits of up to 2^18 gates (stats_4096 has 78 782). */
const CRS_POINTS = 2 ** 18

const args = process.argv.slice(2)
const sizesArg = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : undefined
const sizes = sizesArg?.split(',').map(Number) ?? HONK_STATS_SIZES

function log(message: string): void {
  process.stderr.write(`setup:honk: ${message}\n`)
}

const bb = (bbArgs: string[]) => runQuietly(BB, bbArgs, `bb ${bbArgs[0]}`)

const hex32 = (value: bigint) => value.toString(16).padStart(64, '0')

/** The development τ: fixed, so every machine builds the same keys; public, so worthless. */
function developmentTau(): bigint {
  const order = 21888242871839275222246405745257275088548364400416034343698204186575808495617n
  const digest = createHash('sha256')
    .update('sealnet development CRS, not for production')
    .digest('hex')
  return BigInt(`0x${digest}`) % order
}

/** τ·G2 as bb's verifier writes it: x.c1, x.c0, y.c1, y.c0. */
async function tauG2(): Promise<string[]> {
  const curve = await buildBn128(true)
  try {
    const tau = curve.Fr.e(developmentTau())
    const [x, y] = curve.G2.toObject(
      curve.G2.toAffine(curve.G2.timesFr(curve.G2.g, tau)),
    ) as bigint[][]
    return [x![1]!, x![0]!, y![1]!, y![0]!].map(v => `0x${hex32(v)}`)
  } finally {
    await curve.terminate()
  }
}

/** τ^i·G1 for i < points (bn254_g1.dat: x, y big-endian a point) and τ·G2 (bn254_g2.dat: x.c0, x.c1, y.c0, y.c1). */
async function writeReferenceString(dir: string, points: number): Promise<void> {
  const curve = await buildBn128(true)
  try {
    const tau = curve.Fr.e(developmentTau())
    const g1 = Buffer.alloc(points * 64)
    let point = curve.G1.g
    for (let i = 0; i < points; i++) {
      const [x, y] = curve.G1.toObject(curve.G1.toAffine(point)) as bigint[]
      g1.write(hex32(x!), i * 64, 'hex')
      g1.write(hex32(y!), i * 64 + 32, 'hex')
      point = curve.G1.timesFr(point, tau)
    }
    const [x, y] = curve.G2.toObject(
      curve.G2.toAffine(curve.G2.timesFr(curve.G2.g, tau)),
    ) as bigint[][]
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'bn254_g2.dat'),
      Buffer.from([x![0]!, x![1]!, y![0]!, y![1]!].map(hex32).join(''), 'hex'),
    )
    // bb also loads a Grumpkin reference string, which UltraHonk never uses: zeros of the size it expects
    writeFileSync(join(dir, 'grumpkin_g1_v2.flat.dat'), Buffer.alloc(2 ** 16 * 64))
    // last: its presence marks the reference string complete
    writeFileSync(join(dir, 'bn254_g1.dat'), g1)
  } finally {
    await curve.terminate()
  }
}

function sourceHash(size: number): string {
  const hash = createHash('sha256')
  hash
    .update(readFileSync(join(SOURCE, 'src/main.nr')))
    .update(readFileSync(join(SOURCE, 'Nargo.toml')))
  for (const pkg of ['@noir-lang/noir_wasm', '@aztec/bb.js', 'ffjavascript'])
    hash.update(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json')))
  return hash
    .update(JSON.stringify({ size, CRS_POINTS, script: readFileSync(new URL(import.meta.url)) }))
    .digest('hex')
}

async function setup(size: number, ours: string[]): Promise<boolean> {
  const dir = honkDir(size)
  const hash = sourceHash(size)
  if (existsSync(join(dir, 'hash')) && readFileSync(join(dir, 'hash'), 'utf8') === hash)
    return false
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'package/src'), { recursive: true })
  writeFileSync(join(dir, 'package/Nargo.toml'), readFileSync(join(SOURCE, 'Nargo.toml')))
  const main = readFileSync(join(SOURCE, 'src/main.nr'), 'utf8').replace(
    /^global N: u32 = \d+;$/m,
    `global N: u32 = ${size};`,
  )
  writeFileSync(join(dir, 'package/src/main.nr'), main)
  let started = performance.now()
  const { program } = (await compile(
    createFileManager(join(dir, 'package')),
    undefined,
    () => {},
  )) as { program: unknown }
  writeFileSync(join(dir, 'program.json'), JSON.stringify(program))
  log(`compile stats_${size}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  started = performance.now()
  const crs = honkReferenceString()
  bb(['write_vk', '-b', join(dir, 'program.json'), '-o', dir, '-t', 'evm', '-c', crs])
  bb([
    'write_solidity_verifier',
    '-k',
    join(dir, 'vk'),
    '-o',
    join(dir, 'verifier.sol'),
    '-t',
    'evm',
    '--optimized',
  ])
  let solidity = readFileSync(join(dir, 'verifier.sol'), 'utf8')
  for (const [i, ignition] of IGNITION_TAU_G2.entries()) {
    if (!solidity.includes(ignition))
      throw new Error(`bb's verifier no longer holds Ignition's τ·G2 (${ignition})`)
    solidity = solidity.replaceAll(ignition, ours[i]!)
  }
  solidity = solidity.replace(/\bcontract HonkVerifier\b/, `contract ${honkVerifierName(size)}`)
  mkdirSync(GENERATED, { recursive: true })
  writeFileSync(join(GENERATED, `${honkVerifierName(size)}.sol`), solidity)
  log(`keys and verifier for stats_${size}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  writeFileSync(join(dir, 'hash'), hash)
  return true
}

const started = performance.now()
const crsDir = honkReferenceString()
if (!existsSync(join(crsDir, 'bn254_g1.dat'))) {
  await writeReferenceString(crsDir, CRS_POINTS)
  log(
    `development reference string, ${CRS_POINTS} points: ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
}
const ours = await tauG2()
let changed = false
for (const size of sizes) changed = (await setup(size, ours)) || changed
if (changed)
  execFileSync(join(ROOT, 'node_modules/.bin/hardhat'), ['build', '--quiet'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
log(`${changed ? 'done' : 'up to date'} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
