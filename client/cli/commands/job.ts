import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Command, Option } from 'commander'
import {
  decodePaillierPrivateKey,
  openSecret,
  paillierKeyId,
  paillierPublicKey,
} from '../../../protocol/crypto/index.ts'
import {
  DEFAULT_VERIFIER_SIZES,
  type Ledger,
  registeredIdentities,
} from '../../../protocol/ledger/index.ts'
import { LINEAR_FEATURES } from '../../../protocol/proof/index.ts'
import {
  checkDatasetShape,
  checkSumInputs,
  readDatasetManifest,
  readPaillierDataset,
  type StorageNode,
} from '../../../protocol/wire/index.ts'
import {
  awaitJobResult,
  type JobParams,
  jobSetbacks,
  liveDataset,
  openModelDeployment,
  openSumTotal,
  recheckSumResult,
  SecretStore,
  submitJob,
  type UploadedDataset,
  type VerifiedSumResult,
} from '../../sdk/index.ts'
import { type GlobalOptions, parseId32, print, sealnetHome, UsageError } from '../io.ts'
import {
  note,
  type UserOptions,
  type UserSession,
  withSession,
  withUserOptions,
} from '../user-session.ts'
import { readLinearModel } from './linear-model-file.ts'

class UnknownJobError extends Error {
  static override name = 'UnknownJobError'
  constructor(jobId: string) {
    super(`the ledger has no job ${jobId}`)
    this.name = UnknownJobError.name
  }
}

class NotYourJobError extends Error {
  static override name = 'NotYourJobError'
  constructor(jobId: string) {
    super(`job ${jobId} was submitted by another account: only its submitter can cancel it`)
    this.name = NotYourJobError.name
  }
}

class JobNotCancellableError extends Error {
  static override name = 'JobNotCancellableError'
  constructor(jobId: string, status: string) {
    super(`job ${jobId} is ${status}: only a submitted or assigned job can be cancelled`)
    this.name = JobNotCancellableError.name
  }
}

/** The parsed file if it is a model deployment (sealnet-model-v1), else undefined. */
async function readDeploymentFile(path: string): Promise<unknown> {
  try {
    const json = JSON.parse(await readFile(path, 'utf8'))
    return json?.format === 'sealnet-model-v1' ? json : undefined
  } catch {
    return undefined // readLinearModel names what is wrong with it
  }
}

const parseJobId = (text: string) => parseId32(text, 'a job id (printed by "job submit")')

/** Every registered node, by identity id: who the chain says runs a job, and its peer id. */
async function nodesById(ledger: Ledger): Promise<Map<string, StorageNode>> {
  const nodes = new Map<string, StorageNode>()
  for (const i of await registeredIdentities(ledger))
    if (i.kind === 'node') nodes.set(i.identityId, { identity: i.name, peerId: i.peerId })
  return nodes
}

function jobSubmitCommand(): Command {
  return withUserOptions(
    new Command('submit')
      .description(
        "Submit a job over a dataset: its spec sealed with the project key, recorded on chain, announced over gossipsub to the project's nodes",
      )
      .argument('<project>', 'project name')
      .argument('<dataset>', 'dataset name, as uploaded')
      .addOption(
        new Option(
          '--kind <kind>',
          'stats: count, sum and sum of squares of the values ≥ threshold; linear: y = W·x + b for every record (a dataset uploaded with --features); sum: the encrypted total of datasets uploaded with --paillier',
        )
          .choices(['stats', 'linear', 'sum'])
          .default('stats'),
      )
      .option(
        '--with <datasets...>',
        'sum: more datasets to add in (all encrypted under the same Paillier key)',
      )
      .option('--threshold <n>', 'stats: only values at or above it count', '0')
      .option(
        '--model <file>',
        `linear: JSON {"weights": [${LINEAR_FEATURES} integers], "bias": integer}, or a deployment file from "model propose" (required where the project has approvers); sealed in the spec, only its commitment is public`,
      )
      .option(
        '--claim-timeout <seconds>',
        'fail unless a node claims the job within this long (it is announced again meanwhile)',
        '60',
      ),
  ).action(
    async (
      project: string,
      dataset: string,
      opts: UserOptions & {
        kind: 'stats' | 'linear' | 'sum'
        threshold: string
        model?: string
        with?: string[]
        claimTimeout: string
      },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      if (!/^\d+$/.test(opts.threshold))
        throw new UsageError(`--threshold must be a whole number ≥ 0; got ${opts.threshold}`)
      if ((opts.kind === 'linear') !== (opts.model !== undefined))
        throw new UsageError('a linear job needs --model FILE, and only a linear job takes one')
      if (opts.with && opts.kind !== 'sum')
        throw new UsageError('only a sum job adds --with datasets')
      const more = opts.with ?? []
      // a deployment file (model propose) carries the salt its approval names
      const deploymentJson = opts.model ? await readDeploymentFile(opts.model) : undefined
      const model =
        opts.kind === 'linear' && !deploymentJson ? await readLinearModel(opts.model!) : undefined
      if (!(Number(opts.claimTimeout) > 0))
        throw new UsageError(
          `--claim-timeout must be a number of seconds; got ${opts.claimTimeout}`,
        )
      await withSession(global, opts, async session => {
        const overview = await session.project(project)
        const inputs: UploadedDataset[] = []
        for (const name of [dataset, ...more]) {
          const committed = await liveDataset(session.ledger, overview, name)
          inputs.push({
            dataset: name,
            root: committed.root,
            manifest: { shardId: committed.manifestShardId, holders: [] },
          })
        }
        // a job the dataset can't feed would only fail on every node: refuse it here
        const keys = session.projectKeys(overview)
        try {
          const manifests = []
          for (const name of [dataset, ...more])
            manifests.push(
              await readDatasetManifest(await session.datasetSource(overview, name, keys)),
            )
          if (opts.kind === 'sum') checkSumInputs(manifests)
          else checkDatasetShape(opts.kind, dataset, manifests[0]!, DEFAULT_VERIFIER_SIZES)
        } finally {
          keys.release()
        }
        const deployed = deploymentJson
          ? await openModelDeployment(session.ledger, deploymentJson)
          : undefined
        const params: JobParams = deployed
          ? { kind: 'linear', model: deployed.model, modelSalt: deployed.salt }
          : model
            ? { kind: 'linear', model }
            : opts.kind === 'sum'
              ? { kind: 'sum', more: inputs.slice(1) }
              : { kind: 'stats', threshold: BigInt(opts.threshold) }
        const storage = await session.storage(overview)
        for (const input of inputs) input.manifest.holders = storage
        const client = await session.client()
        const projectKey = await session.projectKey(overview)
        try {
          const jobId = await submitJob({
            client,
            ledger: session.ledger,
            projectKey,
            project,
            dataset: inputs[0]!,
            params,
            submitter: session.identity,
            claimWithinMs: Number(opts.claimTimeout) * 1000,
          })
          const detail =
            params.kind === 'stats'
              ? { threshold: opts.threshold }
              : params.kind === 'linear'
                ? { model: opts.model }
                : { with: more }
          print(global, { jobId, project, dataset, kind: params.kind, ...detail }, [
            `job ${jobId} submitted, announced and claimed by a node`,
            `follow it with: sealnet job status ${jobId}; fetch it with: sealnet job result ${jobId}`,
          ])
        } finally {
          projectKey.key.fill(0)
        }
      })
    },
  )
}

function jobStatusCommand(): Command {
  return withUserOptions(
    new Command('status')
      .description(
        'Show a job: its status on chain, and from the node running it the phase and the time spent in each',
      )
      .argument('<jobId>', '0x… as printed by "job submit"'),
  ).action(async (text: string, opts: UserOptions, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    const jobId = parseJobId(text)
    await withSession(global, opts, async session => {
      const job = await session.ledger.job(jobId)
      if (!job) throw new UnknownJobError(jobId)
      const nodes = await nodesById(session.ledger)
      const node = nodes.get(job.nodeId)
      const answer = node
        ? await (await session.client()).jobStatus(node.peerId, jobId).catch(err => {
            note(`${node.identity} does not answer: ${err instanceof Error ? err.message : err}`)
            return undefined
          })
        : undefined
      const phases = answer?.phases ?? {}
      const setbacks = await jobSetbacks(session.ledger, jobId)
      const failures = setbacks.failures.map(f => ({
        node: nodes.get(f.nodeId)?.identity ?? f.nodeId,
        reason: f.reason,
      }))
      print(
        global,
        {
          jobId,
          status: job.status,
          node: node?.identity,
          phase: answer?.phase,
          phases,
          error: answer?.error,
          failures,
          cancelled: setbacks.cancelled,
        },
        [
          `job ${jobId}`,
          `on chain  ${job.status}${node ? ` by ${node.identity}` : ''}${setbacks.cancelled === undefined ? '' : `: ${setbacks.cancelled}`}`,
          ...(answer
            ? [
                `phase     ${answer.phase}${answer.error ? ` (${answer.error})` : ''}`,
                ...Object.entries(phases).map(
                  ([phase, ms]) => `  ${phase.padEnd(10)} ${(ms / 1000).toFixed(1)} s`,
                ),
              ]
            : []),
          ...failures.map(f => `failed on ${f.node}: ${f.reason}`),
        ],
      )
    })
  })
}

function jobResultCommand(): Command {
  return withUserOptions(
    new Command('result')
      .description(
        'Wait for a job you submitted, fetch its result sealed to you, open it, and check it: the hash on chain, every chunk proof, the dataset root (a sum: its ciphertexts re-added)',
      )
      .argument('<jobId>', '0x… as printed by "job submit"')
      .option('--timeout <seconds>', 'give up after this long', '600')
      .option(
        '--open <secret>',
        'sum: open the encrypted total with this Paillier key secret (from "sum-key create", or shared with you)',
      )
      .option(
        '--retry-after <seconds>',
        'a node that stops answering for this long has the job failed on chain, so another node takes it',
        '60',
      ),
  ).action(
    async (
      text: string,
      opts: UserOptions & { timeout: string; retryAfter: string; open?: string },
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
          onPhase: (phase, node) => {
            if (`${phase}/${node}` !== shown) note(`  ${node}: ${phase}`)
            shown = `${phase}/${node}`
          },
        })
        if (result.kind === 'sum') {
          await printSumResult(global, session, result, opts.open)
          return
        }
        const verified = `verified: the hash on chain, ${result.proofs.length} chunk proof(s), the dataset root`
        if (result.kind === 'linear') {
          print(
            global,
            {
              jobId,
              node: result.node,
              kind: 'linear',
              modelCommitment: String(result.modelCommitment),
              outputs: result.outputs.map(String),
              proofs: result.proofs.length,
              verified: true,
              phases: result.phases,
            },
            [
              `job ${jobId}, run by ${result.node}`,
              `${result.outputs.length} outputs (y = W·x + b per record, model commitment ${String(result.modelCommitment).slice(0, 12)}…):`,
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

function jobCancelCommand(): Command {
  return withUserOptions(
    new Command('cancel')
      .description(
        'Withdraw a job you submitted, for good: no node takes it any more (job result cancels a job a node found can never run by itself)',
      )
      .argument('<jobId>', '0x… as printed by "job submit"')
      .option(
        '--reason <text>',
        'recorded on chain with the cancellation',
        'withdrawn by its submitter',
      ),
  ).action(async (text: string, opts: UserOptions & { reason: string }, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    const jobId = parseJobId(text)
    await withSession(global, opts, async session => {
      const job = await session.ledger.job(jobId)
      if (!job) throw new UnknownJobError(jobId)
      if (job.submitter.toLowerCase() !== session.address) throw new NotYourJobError(jobId)
      if (job.status !== 'submitted' && job.status !== 'assigned')
        throw new JobNotCancellableError(jobId, job.status)
      await session.ledger.cancelJob(jobId, opts.reason)
      print(global, { jobId, status: 'cancelled', reason: opts.reason }, [
        `job ${jobId} cancelled: ${opts.reason}`,
      ])
    })
  })
}

export function jobCommand(): Command {
  return new Command('job')
    .description('Encrypted jobs run by the project’s nodes, with proofs checked on chain')
    .addCommand(jobSubmitCommand())
    .addCommand(jobStatusCommand())
    .addCommand(jobResultCommand())
    .addCommand(jobCancelCommand())
}
