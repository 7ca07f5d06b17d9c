import { readFile, writeFile } from 'node:fs/promises'
import { Command } from 'commander'
import { inspectOnnxModel } from '../../../protocol/models/index.ts'
import {
  ActionMismatchError,
  type Approval,
  openOnnxDeployment,
  openProvenDeployment,
  parseApproval,
  proposeMlpDeployment,
  proposeModelDeployment,
  proposeOnnxModel,
  refuseExisting,
} from '../../sdk/index.ts'
import { type GlobalOptions, print, UsageError } from '../io.ts'
import { type UserOptions, withSession, withUserOptions } from '../user-session.ts'
import { isMlpModelFile, readLinearModel, readMlpModel } from './model-file.ts'

function modelProposeCommand(): Command {
  return withUserOptions(
    new Command('propose')
      .description(
        "Propose deploying a model (admin): a linear or mlp model's salted commitment, or an ONNX model's SHA-256, recorded on chain as a deploy-model action; the deployment file goes to the project's approvers (with the ONNX file itself, for them to review)",
      )
      .argument('<project>', 'project name')
      .argument(
        '<model>',
        'a linear model (JSON {"weights": [...], "bias": n}), an mlp model (JSON {"hidden": {...}, "output": {...}}, as job submit takes it), or an ONNX model file',
      )
      .requiredOption(
        '--out <file>',
        'where to write the deployment file (it holds the model: keep it among the project)',
      ),
  ).action(
    async (
      project: string,
      file: string,
      opts: UserOptions & { out: string },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const bytes = await readFile(file)
      const onnx = isOnnxFile(bytes) ? inspectOnnxModel(bytes) : undefined
      const mlp = !onnx && isMlpModelFile(bytes) ? await readMlpModel(file) : undefined
      const model = onnx || mlp ? undefined : await readLinearModel(file)
      await refuseExisting(opts.out)
      await withSession(global, opts, async session => {
        const overview = await session.project(project)
        const { approvers, threshold } = await session.ledger.approversOf(overview.projectId)
        if (threshold === 0)
          throw new UsageError(
            `${project} has no approvers, so any model runs; to require approval its owner sets them: sealnet project approvers ${project} ID… --threshold K`,
          )
        if (onnx) {
          const deployment = await proposeOnnxModel(session.ledger, overview.projectId, onnx.sha256)
          await writeFile(opts.out, `${JSON.stringify(deployment, null, 2)}\n`, {
            flag: 'wx',
            mode: 0o600,
          })
          print(global, { project, ...deployment }, [
            `deployment of ONNX model ${onnx.sha256.slice(0, 16)}… proposed: action ${deployment.actionId}`,
            `it needs ${threshold} of ${approvers.length} approvals; each approver reviews the model file: sealnet approve ${deployment.actionId} --model ${file} --out FILE`,
            `then: sealnet model deploy ${project} ${opts.out} FILE…`,
          ])
          return
        }
        const deployment = mlp
          ? await proposeMlpDeployment(session.ledger, overview.projectId, mlp)
          : await proposeModelDeployment(session.ledger, overview.projectId, model!)
        // 0600: the file holds the model's weights and salt, which only the project may see
        await writeFile(opts.out, `${JSON.stringify(deployment, null, 2)}\n`, {
          flag: 'wx',
          mode: 0o600,
        })
        print(global, { project, ...deployment, salt: undefined }, [
          `deployment of model ${deployment.commitment.slice(0, 14)}… proposed: action ${deployment.actionId}`,
          `it needs ${threshold} of ${approvers.length} approvals: sealnet approve ${deployment.actionId} --model ${opts.out} --out FILE`,
          `then: sealnet model deploy ${project} ${opts.out} FILE…`,
        ])
      })
    },
  )
}

function modelDeployCommand(): Command {
  return withUserOptions(
    new Command('deploy')
      .description(
        'Execute an approved model deployment (admin): the approvals checked on chain; linear and mlp jobs may then run the model (job submit --model DEPLOYMENT), or onnx jobs the ONNX file',
      )
      .argument('<project>', 'project name')
      .argument('<deployment>', 'the file written by "model propose"')
      .argument('[approvals...]', 'approval files written by "sealnet approve"'),
  ).action(
    async (project: string, file: string, files: string[], opts: UserOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const json = JSON.parse(await readFile(file, 'utf8'))
      const approvals: Approval[] = []
      for (const path of files)
        approvals.push(parseApproval(JSON.parse(await readFile(path, 'utf8'))))
      await withSession(global, opts, async session => {
        const overview = await session.project(project)
        const deployment =
          json?.format === 'sealnet-onnx-deployment-v1'
            ? await openOnnxDeployment(session.ledger, json)
            : (await openProvenDeployment(session.ledger, json)).deployment
        if (deployment.projectId !== overview.projectId)
          throw new ActionMismatchError(
            deployment.actionId,
            `deploys a model of another project than ${project}`,
          )
        for (const approval of approvals)
          if (approval.actionId !== deployment.actionId)
            throw new ActionMismatchError(approval.actionId, `is not ${deployment.actionId}`)
        await session.ledger.executeAction(deployment.actionId, approvals)
        const onnxModel = 'sha256' in deployment
        const named = onnxModel ? deployment.sha256 : deployment.commitment
        print(global, { project, actionId: deployment.actionId, model: named }, [
          onnxModel
            ? `ONNX model ${named.slice(0, 16)}… deployed in ${project}: jobs run it with "job submit ${project} DATASET --kind onnx --model MODEL.onnx"`
            : `model ${named.slice(0, 14)}… deployed in ${project}: jobs run it with "job submit ${project} DATASET --kind ${'model' in deployment ? 'mlp' : 'linear'} --model ${file}"`,
        ])
      })
    },
  )
}

export function modelCommand(): Command {
  return new Command('model')
    .description(
      'Deploy linear, mlp and ONNX models with k of n approvals (projects with approvers run approved models only)',
    )
    .addCommand(modelProposeCommand())
    .addCommand(modelDeployCommand())
}

/** Whether a model file is ONNX (protobuf) rather than a JSON model or deployment: JSON starts with "{". */
export function isOnnxFile(bytes: Uint8Array): boolean {
  const first = Buffer.from(bytes).toString('latin1').trimStart()[0]
  return first !== undefined && first !== '{'
}
