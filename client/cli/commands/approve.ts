import { readFile, writeFile } from 'node:fs/promises'
import { Command } from 'commander'
import { ACTION_KINDS, datasetIdOf } from '../../../protocol/ledger/index.ts'
import { inspectOnnxModel } from '../../../protocol/models/index.ts'
import type { LinearModel, MlpModel } from '../../../protocol/proof/index.ts'
import {
  ActionMismatchError,
  approveAction,
  openProvenDeployment,
  refuseExisting,
} from '../../sdk/index.ts'
import { type GlobalOptions, print, UsageError } from '../io.ts'
import { type UserOptions, withSession, withUserOptions } from '../user-session.ts'
import { parseActionId } from './erase.ts'
import { isOnnxFile } from './model.ts'

export function approveCommand(): Command {
  return withUserOptions(
    new Command('approve')
      .description(
        "Sign a proposed sensitive action (a dataset's erasure, a model's deployment) as one of its project's approvers (EIP-712, with your account): writes an approval file for whoever executes it",
      )
      .argument('<actionId>', '0x… as printed by "erase propose" or "model propose"')
      .option('--dataset <name>', 'an erasure: refuse unless it erases this dataset')
      .option(
        '--model <file>',
        'a deployment: refuse unless it deploys the model in this file (a linear or mlp deployment file, or the ONNX model itself)',
      )
      .requiredOption('--out <file>', 'where to write the approval'),
  ).action(
    async (
      text: string,
      opts: UserOptions & { dataset?: string; model?: string; out: string },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const actionId = parseActionId(text)
      if (opts.dataset === undefined && opts.model === undefined)
        throw new UsageError(
          'say what you approve: --dataset NAME for an erasure, --model FILE for a deployment (it is checked against the action)',
        )
      await refuseExisting(opts.out)
      await withSession(global, opts, async session => {
        const action = await session.ledger.action(actionId)
        if (!action) throw new ActionMismatchError(actionId, 'is unknown to the ledger')
        let what: string
        if (opts.dataset !== undefined) {
          if (
            action.kind !== ACTION_KINDS.eraseDataset ||
            action.target !== datasetIdOf(opts.dataset)
          )
            throw new ActionMismatchError(actionId, `is not the erasure of ${opts.dataset}`)
          what = `erase dataset ${opts.dataset}`
        } else if (isOnnxFile(await readFile(opts.model!))) {
          const { sha256 } = inspectOnnxModel(await readFile(opts.model!))
          if (action.kind !== ACTION_KINDS.deployModel || action.target !== `0x${sha256}`)
            throw new ActionMismatchError(
              actionId,
              `does not deploy the ONNX model in ${opts.model}`,
            )
          what = `deploy ONNX model ${sha256.slice(0, 16)}…`
        } else {
          const json = JSON.parse(await readFile(opts.model!, 'utf8'))
          const opened = await openProvenDeployment(session.ledger, json)
          if (opened.deployment.actionId !== actionId)
            throw new ActionMismatchError(actionId, `is not the deployment in ${opts.model}`)
          what = opened.kind === 'linear' ? linearText(opened.model) : mlpText(opened.model)
        }
        const approval = await approveAction(session.ledger, session.signer, actionId)
        await writeFile(opts.out, `${JSON.stringify(approval, null, 2)}\n`, { flag: 'wx' })
        print(global, { ...approval, what }, [
          `approved: ${what} (action ${actionId.slice(0, 12)}…), signed by ${session.identity}`,
          `approval written to ${opts.out}: hand it to whoever executes the action`,
        ])
      })
    },
  )
}

const linearText = (m: LinearModel) => `deploy model W = [${m.weights.join(', ')}], b = ${m.bias}`
const mlpText = (m: MlpModel) =>
  `deploy mlp model W1 = [${m.hiddenWeights.map(row => `[${row.join(', ')}]`).join(', ')}], b1 = [${m.hiddenBiases.join(', ')}], W2 = [${m.outputWeights.join(', ')}], b2 = ${m.outputBias}`
