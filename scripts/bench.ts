/**
 * npm run bench [-- --quick] [-- --only AREA]: every figure is a ratio against a
 * baseline measured in this same run. Writes bench/results.json, prints a table, and
 * draws bench/results.svg.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resultsChart } from './bench/chart.ts'
import { benchCoretex } from './bench/coretex.ts'
import { benchEnvelope } from './bench/envelope.ts'
import { benchJobs } from './bench/jobs.ts'
import { benchLedger } from './bench/ledger.ts'
import { benchMasterKey } from './bench/masterkey.ts'
import type { BenchOptions, BenchResult } from './bench/measure.ts'
import { benchNode } from './bench/node.ts'
import { benchProof } from './bench/proof.ts'
import { benchProvers } from './bench/provers.ts'
import { benchSum } from './bench/sum.ts'

const AREAS: Record<string, (options: BenchOptions) => BenchResult[] | Promise<BenchResult[]>> = {
  masterkey: benchMasterKey,
  envelope: benchEnvelope,
  coretex: benchCoretex,
  ledger: benchLedger,
  proof: benchProof,
  provers: benchProvers,
  node: benchNode,
  jobs: benchJobs,
  sum: benchSum,
}

const args = process.argv.slice(2)
if (args.includes('--help')) {
  process.stdout.write(
    `usage: npm run bench [-- --quick] [-- --only ${Object.keys(AREAS).join('|')}]\n`,
  )
  process.exit(0)
}
const quick = args.includes('--quick')
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined
if (only !== undefined && !(only in AREAS)) {
  process.stderr.write(`bench: unknown area "${only}"; areas: ${Object.keys(AREAS).join(', ')}\n`)
  process.exit(2)
}

const results: BenchResult[] = []
const started = performance.now()
for (const [area, run] of Object.entries(AREAS)) {
  if (only !== undefined && area !== only) continue
  process.stderr.write(`bench: ${area}${quick ? ' (quick)' : ''} …\n`)
  results.push(...(await run({ quick })))
}

const outFile = new URL('../bench/results.json', import.meta.url)
mkdirSync(new URL('.', outFile), { recursive: true })
// with --only, the other areas keep their figures from the last run
const kept =
  only !== undefined && existsSync(outFile)
    ? (JSON.parse(readFileSync(outFile, 'utf8')) as BenchResult[]).filter(
        r => !r.id.startsWith(`${only}.`),
      )
    : []
const all = [...kept, ...results]
writeFileSync(outFile, `${JSON.stringify(all, null, 2)}\n`)
writeFileSync(new URL('../bench/results.svg', import.meta.url), resultsChart(all))

const rows = results.map(r => [
  r.id,
  r.value.toFixed(3),
  r.target ?? '—',
  r.meets === null ? '' : r.meets ? 'yes' : 'NO',
  `${r.median.ours} vs ${r.median.baseline} ${r.sampleUnit}`,
  r.baseline,
])
const header = ['id', 'ratio', 'target', 'meets', 'medians (ours vs baseline)', 'baseline']
const widths = header.map((h, i) => Math.max(h.length, ...rows.map(row => row[i]!.length)))
const line = (cells: string[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i]!))
    .join('  ')
    .trimEnd()
process.stdout.write(
  `${line(header)}\n${widths.map(w => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`,
)
process.stdout.write(
  `\n${results.length} figures in ${((performance.now() - started) / 1000).toFixed(1)} s → bench/results.json, chart in bench/results.svg\n`,
)
