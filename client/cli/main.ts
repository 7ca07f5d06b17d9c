/** The sealnet command line: the root program only adds commands and maps errors to exit codes. */
import { Command, CommanderError } from 'commander'
import { approveCommand } from './commands/approve.ts'
import { auditCommand } from './commands/audit.ts'
import { chainCommand } from './commands/chain.ts'
import { compatCommand } from './commands/compat.ts'
import { downloadCommand } from './commands/download.ts'
import { eraseCommand } from './commands/erase.ts'
import { jobCommand } from './commands/job.ts'
import { keyCommand } from './commands/key.ts'
import { modelCommand } from './commands/model.ts'
import { nodeCommand } from './commands/node.ts'
import { projectCommand } from './commands/project.ts'
import { secretCommand } from './commands/secret.ts'
import { sumKeyCommand } from './commands/sum-key.ts'
import { uploadCommand } from './commands/upload.ts'
import { EXIT_USAGE, exitCodeFor } from './io.ts'

/** Commands added with addCommand don't inherit settings: apply ours to the whole tree. */
function throwInsteadOfExit(command: Command): Command {
  command.exitOverride().showHelpAfterError()
  for (const sub of command.commands) throwInsteadOfExit(sub)
  return command
}

export function sealnetProgram(): Command {
  return throwInsteadOfExit(
    new Command('sealnet')
      .description('Sealnet: user-owned, confidential data and jobs on a network of peer nodes')
      .option('--home <dir>', 'state folder (default: $SEALNET_HOME or ~/.sealnet)')
      .option('--json', 'machine-readable output')
      .option(
        '--rpc <url>',
        'JSON-RPC endpoint of the chain (default: the one in the deployment file)',
      )
      .option(
        '--deployment <file>',
        'deployment file (default: <home>/chain/deployment.json, written by "sealnet chain start")',
      )
      .addCommand(keyCommand())
      .addCommand(projectCommand())
      .addCommand(secretCommand())
      .addCommand(sumKeyCommand())
      .addCommand(eraseCommand())
      .addCommand(modelCommand())
      .addCommand(approveCommand())
      .addCommand(uploadCommand())
      .addCommand(downloadCommand())
      .addCommand(jobCommand())
      .addCommand(chainCommand())
      .addCommand(nodeCommand())
      .addCommand(auditCommand())
      .addCommand(compatCommand()),
  )
}

export async function main(argv: string[]): Promise<number> {
  try {
    await sealnetProgram().parseAsync(argv, { from: 'user' })
    return 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE
    return exitCodeFor(err)
  } finally {
    // a command that checked a proof left snarkjs's curve worker threads running
    if ('curve_bn128' in globalThis)
      await (await import('../../protocol/proof/index.ts')).releaseProverThreads()
  }
}
