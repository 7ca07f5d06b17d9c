/** The demo, section 0: A ledger on this machine. */

import { execFileSync } from 'node:child_process'
import { deploymentPath, LedgerIdentityDirectory } from '../../client/sdk/index.ts'
import { deployJobVerifiers, deployLedger, startInProcessChain } from '../../dev-chain/index.ts'
import {
  connectRpc,
  DEFAULT_VERIFIER_SIZES,
  Ledger,
  readDeployment,
} from '../../protocol/ledger/index.ts'
import { section, step } from './progress.ts'
import type { BeforeSection0 } from './stages.ts'

export type LedgerStage = Awaited<ReturnType<typeof startLedger>>

export async function startLedger(story: BeforeSection0) {
  const { options } = story
  section('0. A ledger on this machine')
  await step(
    'the circuits and their development keys are ready (the first run builds them: about 7 minutes)',
    () =>
      execFileSync(process.execPath, [new URL('../setup-circuits.ts', import.meta.url).pathname], {
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
  )
  const chain = options.home
    ? await step(`the chain of "sealnet chain start --home ${options.home}" answers`, async () =>
        connectRpc((await readDeployment(deploymentPath({ home: options.home! }))).rpcUrl!),
      )
    : await step('an in-process Hardhat network starts', () => startInProcessChain())
  // 0 deploys and audits, 1 alice, 2 bob, 3-6 nodes, 7-9 the approvers of erasures
  const accounts = await Promise.all(
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(i => chain.provider.getSigner(i)),
  )
  const deployment = options.home
    ? await step(
        'the Sealnet contracts deployed there are used, with their Groth16 verifiers',
        () => readDeployment(deploymentPath({ home: options.home! })),
        d => `jobs at ${d.jobs.slice(0, 10)}…, proofs checked by ${d.verifier.slice(0, 10)}…`,
      )
    : await step(
        'the Sealnet contracts are deployed, with the Groth16 verifiers that check job proofs',
        async () =>
          deployLedger(accounts[0]!, {
            verifier: await deployJobVerifiers(accounts[0]!, DEFAULT_VERIFIER_SIZES),
          }),
        d => `jobs at ${d.jobs.slice(0, 10)}…, proofs checked by ${d.verifier.slice(0, 10)}…`,
      )
  const aliceLedger = await Ledger.connect(accounts[1]!, deployment)
  const bobLedger = aliceLedger.as(accounts[2]!)
  const nodeLedgers = [3, 4, 5, 6].map(i => aliceLedger.as(accounts[i]!))
  const directory = new LedgerIdentityDirectory(aliceLedger)
  return { accounts, aliceLedger, bobLedger, chain, deployment, directory, nodeLedgers }
}
