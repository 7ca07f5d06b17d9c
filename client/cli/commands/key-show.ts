import { Command } from 'commander'
import { type GlobalOptions, print, sealnetHome } from '../io.ts'
import { currentIdentity, lookupRecord } from '../user-session.ts'

export function keyShowCommand(): Command {
  return new Command('show')
    .description("Show an identity's public master-key record (no password needed)")
    .option('-i, --identity <identity>', 'the identity to show (default: your own)')
    .action(async (opts: { identity?: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const identity = await currentIdentity(sealnetHome(global), opts.identity)
      const record = await lookupRecord(global, identity)
      const { N, r, p } = record.params.kdf
      print(global, record, [
        `identity     ${record.identity}`,
        `fingerprint  ${record.fingerprint}`,
        `key          RSA-${record.params.bits}, e = 65537, derivation ${record.version}`,
        `kdf          scrypt N=${N} r=${r} p=${p}`,
        'record       signature verified',
      ])
    })
}
