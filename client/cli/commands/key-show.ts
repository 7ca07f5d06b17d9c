import { Command } from 'commander'
import { FileIdentityDirectory, requireIdentity } from '../../sdk/index.ts'
import { type GlobalOptions, print, sealnetHome } from '../io.ts'
import { identitiesFolder } from './key-paths.ts'

export function keyShowCommand(): Command {
  return new Command('show')
    .description("Show an identity's public master-key record (no password needed)")
    .requiredOption('-i, --identity <identity>', 'the identity to show')
    .action(async (opts: { identity: string }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const record = await requireIdentity(
        new FileIdentityDirectory(identitiesFolder(sealnetHome(global))),
        opts.identity,
      )
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
