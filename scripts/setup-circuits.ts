/**
 * npm run setup:circuits [-- --sizes 8,32] [-- --ptau ceremony.ptau]   (sizes: every circuit's own by default)
 *
 * Compiles the circuits (circom2, WASM circom) and makes their Groth16 keys with
 * development entropy, then exports verification keys and Solidity verifiers. Outputs
 * go to circuits/build/ and contracts/generated/ (both ignored) and are rebuilt only when
 * a hash of the circuit sources, the sizes and the tool versions changes.
 *
 * The powers of tau are generated here with fixed entropy: fine for development and
 * tests, worthless for production, where they must come from a public ceremony: pass
 * its file with --ptau (or SEALNET_PTAU) and regenerate.
 */
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import {
  CIRCUITS,
  type CircuitSpec,
  circuitDir,
  verifierContractName,
} from '../protocol/proof/circuits.ts'
import { runQuietly } from './run-quietly.ts'

const ROOT = new URL('..', import.meta.url).pathname
const BIN = join(ROOT, 'node_modules/.bin')
const BUILD = join(ROOT, 'circuits/build')
const GENERATED = join(ROOT, 'contracts/generated')
/** 2^13 constraints cover stats up to 32 values per chunk; a larger file serves smaller circuits. */
const PTAU_POWER = 13

const args = process.argv.slice(2)
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const sizes = option('--sizes')?.split(',').map(Number)
const ceremony = option('--ptau') ?? process.env.SEALNET_PTAU

function log(message: string): void {
  process.stderr.write(`setup:circuits: ${message}\n`)
}

/** Runs a tool of node_modules/.bin quietly (runQuietly: its output only on failure). */
function run(tool: string, toolArgs: string[]): void {
  runQuietly(join(BIN, tool), toolArgs, `${tool} ${toolArgs.slice(0, 3).join(' ')}`)
}

function timed(what: string, work: () => void): void {
  const started = performance.now()
  log(`${what} …`)
  work()
  log(`${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

function sourceHash(spec: CircuitSpec, size: number, ptau: string): string {
  const hash = createHash('sha256')
  for (const file of readdirSync(join(ROOT, 'circuits/src')).sort())
    hash.update(file).update(readFileSync(join(ROOT, 'circuits/src', file)))
  for (const pkg of ['circom2', 'circomlib', 'snarkjs'])
    hash.update(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json')))
  return hash.update(JSON.stringify({ spec, size, ptau })).digest('hex')
}

/** The phase-2-ready powers of tau: the ceremony file, or a cached development one. */
function powersOfTau(): string {
  if (ceremony !== undefined) {
    if (!existsSync(ceremony)) throw new Error(`--ptau ${ceremony} does not exist`)
    return ceremony
  }
  const dir = join(BUILD, 'ptau')
  const final = join(dir, `dev_${PTAU_POWER}.ptau`)
  if (existsSync(final)) return final
  mkdirSync(dir, { recursive: true })
  timed(
    `development powers of tau 2^${PTAU_POWER} (made once, then cached; about 3 minutes)`,
    () => {
      run('snarkjs', ['powersoftau', 'new', 'bn128', String(PTAU_POWER), join(dir, 'p0.ptau')])
      run('snarkjs', [
        'powersoftau',
        'contribute',
        join(dir, 'p0.ptau'),
        join(dir, 'p1.ptau'),
        '--name=sealnet-dev',
        '-e=sealnet development entropy, not for production',
      ])
      run('snarkjs', [
        'powersoftau',
        'prepare',
        'phase2',
        join(dir, 'p1.ptau'),
        join(dir, 'tmp.ptau'),
      ])
    },
  )
  renameSync(join(dir, 'tmp.ptau'), final)
  rmSync(join(dir, 'p0.ptau'))
  rmSync(join(dir, 'p1.ptau'))
  return final
}

function setup(spec: CircuitSpec, size: number, ptau: string): boolean {
  const dir = circuitDir(spec.name, size)
  const hash = sourceHash(spec, size, ptau)
  if (existsSync(join(dir, 'hash')) && readFileSync(join(dir, 'hash'), 'utf8') === hash)
    return false
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const base = `${spec.name}_${size}`
  // circom2 runs as WASM and sees paths relative to the repository only
  const main = join('circuits/build', base, `${base}.circom`)
  writeFileSync(
    join(ROOT, main),
    `pragma circom 2.1.0;\ninclude "${spec.file}";\ncomponent main {public [${spec.publicInputs.join(', ')}]} = ${spec.template}(${spec.params(size).join(', ')});\n`,
  )
  timed(`compile ${base}`, () =>
    run('circom2', [
      main,
      '--r1cs',
      '--wasm',
      '--O2',
      '-o',
      join('circuits/build', base),
      '-l',
      'circuits/src',
      '-l',
      'node_modules',
    ]),
  )
  timed(`Groth16 keys for ${base}`, () => {
    run('snarkjs', ['groth16', 'setup', join(dir, `${base}.r1cs`), ptau, join(dir, 'k0.zkey')])
    run('snarkjs', [
      'zkey',
      'contribute',
      join(dir, 'k0.zkey'),
      join(dir, `${base}.zkey`),
      '--name=sealnet-dev',
      `-e=sealnet development entropy ${base}`,
    ])
    rmSync(join(dir, 'k0.zkey'))
    run('snarkjs', [
      'zkey',
      'export',
      'verificationkey',
      join(dir, `${base}.zkey`),
      join(dir, 'vkey.json'),
    ])
  })
  run('snarkjs', [
    'zkey',
    'export',
    'solidityverifier',
    join(dir, `${base}.zkey`),
    join(dir, 'verifier.sol'),
  ])
  // snarkjs names every verifier Groth16Verifier: give each its own name
  const solidity = readFileSync(join(dir, 'verifier.sol'), 'utf8').replace(
    /contract Groth16Verifier\b/,
    `contract ${verifierContractName(spec.name, size)}`,
  )
  mkdirSync(GENERATED, { recursive: true })
  writeFileSync(join(GENERATED, `${verifierContractName(spec.name, size)}.sol`), solidity)
  writeFileSync(join(dir, 'hash'), hash)
  return true
}

const started = performance.now()
const ptau = powersOfTau()
let changed = false
for (const spec of Object.values(CIRCUITS))
  for (const size of sizes ?? spec.sizes) changed = setup(spec, size, ptau) || changed
if (changed) timed('compile the generated verifiers', () => run('hardhat', ['build', '--quiet']))
log(`${changed ? 'done' : 'up to date'} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
