import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { AuditServer } from '../client/dashboard/server/audit-server.ts'
import { Ledger } from '../protocol/ledger/index.ts'
import { startLedger } from './demo/0-ledger.ts'
import { deriveOwnerKey } from './demo/1-master-key.ts'
import { createProjectAndSeal } from './demo/2-project.ts'
import { keepSecret } from './demo/3-secret.ts'
import { shareWithTeammate } from './demo/4-share.ts'
import { authorizeNodes } from './demo/5-nodes.ts'
import { runJobs } from './demo/6-jobs.ts'
import { runAiJobs } from './demo/6b-ai-jobs.ts'
import { revokeTeammate } from './demo/7-revocation.ts'
import { eraseCustomer } from './demo/8-erasure.ts'
import { auditTrail } from './demo/9-audit.ts'
import { step, stepsDone } from './demo/progress.ts'

const { values: options } = parseArgs({
  options: {
    home: { type: 'string' },
    dashboard: { type: 'boolean', default: false },
    port: { type: 'string', default: '7470' },
    help: { type: 'boolean', default: false },
  },
})
if (options.help) {
  process.stdout.write(`npm run demo [-- OPTIONS]: the whole Sealnet story on this machine

  --home DIR    run on the chain of "sealnet chain start --home DIR" (a fresh one: the
                story registers its names) instead of an in-process Hardhat network
  --dashboard   at the end, serve the auditor's dashboard until Ctrl-C
  --port N      the dashboard's port on 127.0.0.1 (default 7470)
`)
  process.exit(0)
}
const started = performance.now()
const home = await mkdtemp(join(tmpdir(), 'sealnet-demo-'))
process.stdout.write(`Sealnet demo (files in ${home})\n`)

// each section takes what the story so far made, and adds what it makes
const s0 = { home, options }
const s1 = { ...s0, ...(await startLedger(s0)) }
const s2 = { ...s1, ...(await deriveOwnerKey(s1)) }
const s3 = { ...s2, ...(await createProjectAndSeal(s2)) }
const s4 = { ...s3, ...(await keepSecret(s3)) }
const s5 = { ...s4, ...(await shareWithTeammate(s4)) }
const s6 = { ...s5, ...(await authorizeNodes(s5)) }
const s7 = { ...s6, ...(await runJobs(s6)) }
const s7b = { ...s7, ...(await runAiJobs(s7)) }
const s8 = { ...s7b, ...(await revokeTeammate(s7b)) }
const s9 = { ...s8, ...(await eraseCustomer(s8)) }
const s10 = { ...s9, ...(await auditTrail(s9)) }
const { chain, deployment, nodes } = s10
await Promise.all(nodes.map(node => node.stop()))
if (options.dashboard) {
  const dashboard = new AuditServer({
    open: async () => ({
      ledger: await Ledger.connect(chain.provider, deployment),
      close: async () => {},
    }),
    where: options.home ? (deployment.rpcUrl ?? 'the chain') : 'the in-process chain',
    port: Number(options.port),
  })
  await step(
    "the auditor's dashboard serves the same log, read-only",
    () => dashboard.start(),
    () => dashboard.url,
  )
  process.stdout.write(`\nOpen ${dashboard.url} in a browser; press Ctrl-C to end the demo.\n`)
  await new Promise<void>(resolve => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  await dashboard.stop()
}
await chain.close()

await rm(home, { recursive: true, force: true })
const total = ((performance.now() - started) / 1000).toFixed(1)
process.stdout.write(
  `\nAll ${stepsDone()} steps checked out in ${total} s. The same story on the command line: see "The command line" in README.md.\n`,
)
