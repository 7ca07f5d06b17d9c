import { Command } from 'commander'
import { openMasterKey } from '../../../protocol/crypto/index.ts'
import { type GlobalOptions, print, readPassword, sealnetHome } from '../io.ts'
import { currentIdentity, lookupRecord } from '../user-session.ts'

export function keyOpenCommand(): Command {
  return new Command('open')
    .description('Check that a password opens your registered master key')
    .option(
      '-i, --identity <identity>',
      'the identity the key was registered under (default: yours)',
    )
    .option(
      '--password-file <file>',
      'read the password from the first line of a file (else $SEALNET_PASSWORD, else a prompt)',
    )
    .action(async (opts: { identity?: string; passwordFile?: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const identity = await currentIdentity(sealnetHome(global), opts.identity)
      const record = await lookupRecord(global, identity)
      const key = await openMasterKey(await readPassword(opts), record)
      print(global, { identity: key.identity, fingerprint: key.fingerprint, opened: true }, [
        `the password opens the master key of ${key.identity} (${key.fingerprint.slice(0, 16)}…)`,
      ])
    })
}
