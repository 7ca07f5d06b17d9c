/** `sealnet job submit`: seal a job spec, record it on chain and announce it to the project's nodes. */

import { readFile } from 'node:fs/promises'
import { Command, Option } from 'commander'
import {
  JOB_KIND_LIST,
  JOB_KIND_NAMES,
  type JobKindName,
  jobKindNamed,
} from '../../../protocol/job-kinds/index.ts'
import { DEFAULT_VERIFIER_SIZES } from '../../../protocol/ledger/index.ts'
import { LINEAR_FEATURES, MLP_HIDDEN, randomSalt } from '../../../protocol/proof/index.ts'
import {
  checkDatasetShape,
  checkSumInputs,
  type DatasetManifest,
  DatasetShapeError,
  readDatasetManifest,
  type StorageNode,
  UnknownColumnError,
} from '../../../protocol/wire/index.ts'
import {
  type JobParams,
  jobExpectation,
  liveDataset,
  MODEL_DEPLOYMENT_FORMATS,
  onnxModelDataset,
  openProvenDeployment,
  submitJob,
  type UploadedDataset,
} from '../../sdk/index.ts'
import { type GlobalOptions, print, sealnetHome, UsageError } from '../io.ts'
import {
  type UserOptions,
  type UserSession,
  withSession,
  withUserOptions,
} from '../user-session.ts'
import { saveJobExpectation } from './job-expectations.ts'
import { readLinearModel, readMlpModel } from './model-file.ts'

/**
 * The parsed file if it is a model deployment (from model propose), else undefined;
 * UsageError for another kind's deployment.
 */
async function readDeploymentFile(path: string, kind: 'linear' | 'mlp'): Promise<unknown> {
  let json: { format?: unknown } | undefined
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  } catch {
    return undefined // the model file reader names what is wrong with it
  }
  const format = json?.format
  if (format === MODEL_DEPLOYMENT_FORMATS[kind]) return json
  const other = Object.entries(MODEL_DEPLOYMENT_FORMATS).find(([, f]) => f === format)?.[0]
  if (other)
    throw new UsageError(
      `--model ${path} is the deployment of a ${other} model, not of the ${kind} model this job runs`,
    )
  return undefined
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
        `linear: JSON {"weights": [${LINEAR_FEATURES} integers], "bias": integer}, or a deployment file from "model propose" (required where the project has approvers); sealed in the spec, only its commitment is public. mlp: JSON {"hidden": {"weights": [rows of ${LINEAR_FEATURES} integers, one per hidden unit, at most ${MLP_HIDDEN}], "biases": [one per unit]}, "output": {"weights": [one per unit], "bias": integer}}, or its deployment file, sealed likewise. onnx: an ONNX model file (from PyTorch, skl2onnx, or "job result --model-out"), stored sealed in the project once, only its SHA-256 public`,
      )
      .option(
        '--inputs <columns>',
        "onnx: the table's columns the model reads, in its input order, comma-separated (default: all)",
      )
      .option(
        '--features <columns>',
        'train-linear, train-logistic: the columns the model reads, comma-separated (default: all but --target)',
      )
      .option(
        '--target <column>',
        'train-linear, train-logistic: the column to predict (0/1 for logistic)',
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
        inputs?: string
        features?: string
        target?: string
        claimTimeout: string
      },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      if (!/^\d+$/.test(opts.threshold))
        throw new UsageError(`--threshold must be a whole number ≥ 0; got ${opts.threshold}`)
      const modelled = opts.kind === 'linear' || opts.kind === 'mlp' || opts.kind === 'onnx'
      if (modelled && opts.model === undefined)
        throw new UsageError(`a ${opts.kind} job needs --model FILE`)
      if (!modelled && opts.model !== undefined)
        throw new UsageError('only linear, mlp and onnx jobs take --model')
      const training = opts.kind === 'train-linear' || opts.kind === 'train-logistic'
      if (training !== (opts.target !== undefined))
        throw new UsageError(
          'a training job needs --target COLUMN, and only a training job takes one',
        )
      if (opts.features && !training) throw new UsageError('only a training job takes --features')
      if (opts.inputs && opts.kind !== 'onnx')
        throw new UsageError('only an onnx job takes --inputs')
      if (opts.with && opts.kind !== 'sum')
        throw new UsageError('only a sum job adds --with datasets')
      const more = opts.with ?? []
      // a deployment file (model propose) carries the salt its approval names
      const deploymentJson =
        (opts.kind === 'linear' || opts.kind === 'mlp') && opts.model
          ? await readDeploymentFile(opts.model, opts.kind)
          : undefined
      const model =
        opts.kind === 'linear' && !deploymentJson ? await readLinearModel(opts.model!) : undefined
      const mlpModel =
        opts.kind === 'mlp' && !deploymentJson ? await readMlpModel(opts.model!) : undefined
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
        let columns: string[] = []
        try {
          const manifests = []
          for (const name of [dataset, ...more])
            manifests.push(
              await readDatasetManifest(await session.datasetSource(overview, name, keys)),
            )
          if (opts.kind === 'sum') checkSumInputs(manifests)
          else if (opts.kind === 'stats' || opts.kind === 'linear' || opts.kind === 'mlp')
            checkDatasetShape(opts.kind, dataset, manifests[0]!, DEFAULT_VERIFIER_SIZES)
          else columns = tableColumnsOf(dataset, manifests[0]!)
        } finally {
          keys.release()
        }
        // a deployment's salt is the one its approval names; a model file's gets a fresh one
        let modelParams: JobParams | undefined
        if (deploymentJson) {
          // readDeploymentFile let through only this kind's format
          const opened = await openProvenDeployment(session.ledger, deploymentJson)
          modelParams =
            opened.kind === 'mlp'
              ? { kind: 'mlp', model: opened.model, modelSalt: opened.salt }
              : { kind: 'linear', model: opened.model, modelSalt: opened.salt }
        } else if (model) modelParams = { kind: 'linear', model, modelSalt: randomSalt() }
        else if (mlpModel) modelParams = { kind: 'mlp', model: mlpModel, modelSalt: randomSalt() }
        const storage = await session.storage(overview)
        const params: JobParams = training
          ? trainParams(opts.kind as 'train-linear' | 'train-logistic', dataset, columns, opts)
          : opts.kind === 'onnx'
            ? await onnxParams(
                session,
                overview,
                storage,
                dataset,
                columns,
                opts.model!,
                opts.inputs,
              )
            : (modelParams ??
              (opts.kind === 'sum'
                ? { kind: 'sum', more: inputs.slice(1) }
                : { kind: 'stats', threshold: BigInt(opts.threshold) }))
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
              : params.kind === 'linear' || params.kind === 'mlp'
                ? { model: opts.model }
                : params.kind === 'onnx'
                  ? {
                      model: params.model.sha256,
                      modelDataset: params.model.dataset,
                      inputs: params.inputs,
                    }
                  : params.kind === 'sum'
                    ? { with: more }
                    : { features: params.features, target: params.target }
          print(global, { jobId, project, dataset, kind: params.kind, ...detail }, [
            `job ${jobId} submitted, announced and claimed by a node${jobKindNamed(params.kind).check.by === 'attestation' ? ' (an attested kind: its result will be vouched for by the node, not proven)' : ''}`,
            `follow it with: sealnet job status ${jobId}; fetch it with: sealnet job result ${jobId}`,
          ])
        } finally {
          projectKey.key.fill(0)
        }
      })
    },
  )
}

/** A table dataset's columns; DatasetShapeError if it is not a table. */
function tableColumnsOf(dataset: string, manifest: DatasetManifest): string[] {
  if (!manifest.table)
    throw new DatasetShapeError(
      dataset,
      'training and onnx jobs read a table: upload it with --csv',
    )
  return manifest.table.columns
}

const list = (text: string) =>
  text
    .split(',')
    .map(c => c.trim())
    .filter(c => c !== '')

/** The named columns, each one the table has (UnknownColumnError otherwise). */
function pickColumns(
  dataset: string,
  columns: readonly string[],
  names: readonly string[],
): string[] {
  for (const name of names)
    if (!columns.includes(name)) throw new UnknownColumnError(dataset, name, columns)
  return [...names]
}

function trainParams(
  kind: 'train-linear' | 'train-logistic',
  dataset: string,
  columns: readonly string[],
  opts: { features?: string; target?: string },
): JobParams {
  const [target] = pickColumns(dataset, columns, [opts.target!])
  const features = pickColumns(
    dataset,
    columns,
    opts.features ? list(opts.features) : columns.filter(c => c !== target),
  )
  if (features.includes(target!))
    throw new UsageError(`--target ${target} is also among --features`)
  if (features.length === 0) throw new UsageError('a model needs at least one feature column')
  return { kind, features, target: target! }
}

async function onnxParams(
  session: UserSession,
  overview: Awaited<ReturnType<UserSession['project']>>,
  storage: StorageNode[],
  dataset: string,
  columns: readonly string[],
  path: string,
  inputs: string | undefined,
): Promise<JobParams> {
  const names = pickColumns(dataset, columns, inputs ? list(inputs) : columns)
  const projectKey = await session.projectKey(overview)
  try {
    const model = await onnxModelDataset({
      client: await session.client(),
      ledger: session.ledger,
      projectKey,
      project: overview.name,
      storage,
      path,
      inputs: names.length,
    })
    return { kind: 'onnx', inputs: names, model }
  } finally {
    projectKey.key.fill(0)
  }
}
