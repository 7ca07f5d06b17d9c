/** `sealnet job result`: wait for a job, open its sealed result and check it against the chain. */

import { join } from 'node:path'
import { Command } from 'commander'
import {
  decodePaillierPrivateKey,
  openSecret,
  paillierKeyId,
  paillierPublicKey,
} from '../../../protocol/crypto/index.ts'
import { readPaillierDataset } from '../../../protocol/wire/index.ts'
import {
  awaitJobResult,
  openSumTotal,
  recheckSumResult,
  SecretStore,
  type VerifiedSumResult,
} from '../../sdk/index.ts'
import { type GlobalOptions, print, sealnetHome, UsageError } from '../io.ts'
import {
  note,
  type UserOptions,
  type UserSession,
  withSession,
  withUserOptions,
} from '../user-session.ts'
import { printOnnxResult, printTrainResult } from './attested-result.ts'
import { readJobExpectation } from './job-expectations.ts'
import { nodesById, parseJobId, UnknownJobError } from './job-lookup.ts'

export function jobResultCommand(): Command {
  return withUserOptions(
    new Command('result')
      .description(
        'Wait for a job you submitted, fetch its result sealed to you, open it, and check it: the hash on chain, every chunk proof, the dataset root (a sum: its ciphertexts re-added; an attested kind, onnx or train-*: hash, dataset and model only, and it says so)',
      )
      .argument('<jobId>', '0x… as printed by "job submit"')
      .option('--timeout <seconds>', 'give up after this long', '600')
      .option(
        '--open <secret>',
        'sum: open the encrypted total with this Paillier key secret (from "sum-key create", or shared with you)',
      )
      .option('--outputs <file>', "onnx: write every record's outputs to this CSV file")
      .option(
        '--model-out <file>',
        'train-linear, train-logistic: write the fitted model (ONNX) to this file',
      )
      .option(
        '--retry-after <seconds>',
        'a node that stops answering for this long has the job failed on chain, so another node takes it',
        '60',
      ),
  ).action(
    async (
      text: string,
      opts: UserOptions & {
        timeout: string
        retryAfter: string
        open?: string
        outputs?: string
        modelOut?: string
      },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const jobId = parseJobId(text)
      const timeout = Number(opts.timeout)
      const retryAfter = Number(opts.retryAfter)
      if (!Number.isFinite(timeout) || timeout <= 0)
        throw new UsageError(`--timeout must be a number of seconds; got ${opts.timeout}`)
      if (!Number.isFinite(retryAfter) || retryAfter <= 0)
        throw new UsageError(`--retry-after must be a number of seconds; got ${opts.retryAfter}`)
      await withSession(global, opts, async session => {
        if (!(await session.ledger.job(jobId))) throw new UnknownJobError(jobId)
        let shown = ''
        const result = await awaitJobResult({
          client: await session.client(),
          ledger: session.ledger,
          jobId,
          key: session.key,
          storage: [...(await nodesById(session.ledger)).values()],
          timeoutMs: timeout * 1000,
          retryAfterMs: retryAfter * 1000,
          expected: await readJobExpectation(sealnetHome(global), jobId),
          onPhase: (phase, node) => {
            if (`${phase}/${node}` !== shown) note(`  ${node}: ${phase}`)
            shown = `${phase}/${node}`
          },
        })
        if (result.kind === 'sum') {
          await printSumResult(global, session, result, opts.open)
          return
        }
        if (result.kind === 'onnx') return printOnnxResult(global, result, opts.outputs)
        if (result.kind === 'train-linear' || result.kind === 'train-logistic')
          return printTrainResult(global, result, opts.modelOut)
        const verified = `verified: the hash on chain, ${result.proofs.length} chunk proof(s), the dataset root`
        if (result.kind !== 'stats') {
          const formula = result.kind === 'linear' ? 'y = W·x + b' : 'y = W2·ReLU(W1·x + b1) + b2'
          print(
            global,
            {
              jobId,
              node: result.node,
              kind: result.kind,
              modelCommitment: String(result.modelCommitment),
              outputs: result.outputs.map(String),
              proofs: result.proofs.length,
              verified: true,
              phases: result.phases,
            },
            [
              `job ${jobId}, run by ${result.node}`,
              `${result.outputs.length} outputs (${formula} per record, model commitment ${String(result.modelCommitment).slice(0, 12)}…):`,
              ...result.outputs.map((y, i) => `  record ${i}: ${y}`),
              verified,
            ],
          )
          return
        }
        const mean = result.count === 0n ? undefined : Number(result.sum) / Number(result.count)
        print(
          global,
          {
            jobId,
            node: result.node,
            kind: 'stats',
            threshold: String(result.threshold),
            count: String(result.count),
            sum: String(result.sum),
            sumOfSquares: String(result.sumOfSquares),
            mean,
            proofs: result.proofs.length,
            verified: true,
            phases: result.phases,
          },
          [
            `job ${jobId}, run by ${result.node}`,
            `values ≥ ${result.threshold}: count ${result.count}, sum ${result.sum}, sum of squares ${result.sumOfSquares}${mean === undefined ? '' : `, mean ${mean.toFixed(2)}`}`,
            verified,
          ],
        )
      })
    },
  )
}

/**
 * A sum, re-checked by re-adding its datasets' ciphertexts (there is no proof), and opened
 * when the caller names the Paillier key secret it was encrypted for.
 */
async function printSumResult(
  global: GlobalOptions,
  session: UserSession,
  result: VerifiedSumResult,
  secret: string | undefined,
): Promise<void> {
  const overview = await session.project(result.project)
  const keys = session.projectKeys(overview)
  const datasets = []
  try {
    for (const dataset of result.datasets) {
      note(`  re-adding ${dataset}…`)
      datasets.push(await readPaillierDataset(await session.datasetSource(overview, dataset, keys)))
    }
  } finally {
    keys.release()
  }
  recheckSumResult(result, (await session.ledger.job(result.jobId))!, datasets)
  const keyId = paillierKeyId(paillierPublicKey(result.n))
  let total: bigint | undefined
  if (secret !== undefined) {
    const opened = openSecret(
      await new SecretStore(join(sealnetHome(global), 'secrets')).load(result.project, secret),
      session.key.privateKey,
    )
    if (opened.type !== 'paillier')
      throw new UsageError(`--open ${secret}: a ${opened.type} secret, not a Paillier key`)
    total = openSumTotal(decodePaillierPrivateKey({ v: 1, ...opened.data }), result)
  }
  print(
    global,
    {
      jobId: result.jobId,
      node: result.node,
      kind: 'sum',
      project: result.project,
      datasets: result.datasets,
      count: result.count,
      keyId,
      total: total === undefined ? undefined : String(total),
      encryptedTotal: result.total.toString(16),
      verified: true,
      phases: result.phases,
    },
    [
      `job ${result.jobId}, run by ${result.node}`,
      `sum of ${result.count} values in ${result.datasets.join(', ')}, encrypted under Paillier key ${keyId}`,
      total === undefined
        ? `the key's holder opens it with: sealnet job result ${result.jobId} --open <secret>`
        : `total: ${total}`,
      'verified: the hash on chain, and the ciphertexts re-added to the same total (a sum has no proof)',
    ],
  )
}
