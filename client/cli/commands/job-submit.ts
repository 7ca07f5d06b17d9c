/** `sealnet job submit`: seal a job spec, record it on chain and announce it to the project's nodes. */

import { readFile } from 'node:fs/promises'
import { Command, Option } from 'commander'
import {
  JOB_KIND_LIST,
  JOB_KIND_NAMES,
  type JobKindName,
} from '../../../protocol/job-kinds/index.ts'
import { DEFAULT_VERIFIER_SIZES } from '../../../protocol/ledger/index.ts'
import { LINEAR_FEATURES, randomSalt } from '../../../protocol/proof/index.ts'
import {
  checkDatasetShape,
  checkSumInputs,
  readDatasetManifest,
} from '../../../protocol/wire/index.ts'
import {
  type JobParams,
  jobExpectation,
  liveDataset,
  openModelDeployment,
  submitJob,
  type UploadedDataset,
} from '../../sdk/index.ts'
import { type GlobalOptions, print, sealnetHome, UsageError } from '../io.ts'
import { type UserOptions, withSession, withUserOptions } from '../user-session.ts'
import { saveJobExpectation } from './job-expectations.ts'
import { readLinearModel } from './linear-model-file.ts'

/** The parsed file if it is a model deployment (sealnet-model-v1), else undefined. */
async function readDeploymentFile(path: string): Promise<unknown> {
  try {
    const json = JSON.parse(await readFile(path, 'utf8'))
    return json?.format === 'sealnet-model-v1' ? json : undefined
  } catch {
    return undefined // readLinearModel names what is wrong with it
  }
}

export function jobSubmitCommand(): Command {
  return withUserOptions(
    new Command('submit')
      .description(
        "Submit a job over a dataset: its spec sealed with the project key, recorded on chain, announced over gossipsub to the project's nodes",
      )
      .argument('<project>', 'project name')
      .argument('<dataset>', 'dataset name, as uploaded')
      .addOption(
        new Option('--kind <kind>', JOB_KIND_LIST.map(k => `${k.name}: ${k.summary}`).join('; '))
          .choices(JOB_KIND_NAMES)
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
        kind: JobKindName
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
            ? { kind: 'linear', model, modelSalt: randomSalt() }
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
          // job result, a later process, holds the node's result to this
          await saveJobExpectation(
            sealnetHome(global),
            jobId,
            await jobExpectation({ dataset: inputs[0]!, params }),
          )
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
