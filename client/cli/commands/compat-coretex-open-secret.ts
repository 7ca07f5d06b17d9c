import { text } from 'node:stream/consumers'
import { Command } from 'commander'
import {
  deriveCoretexNodeKey,
  openCoretexSecretField,
} from '../../../protocol/compat/coretex/index.ts'
import { type GlobalOptions, print, readFirstLine } from '../io.ts'

export function compatCoretexOpenSecretCommand(): Command {
  return new Command('open-secret')
    .description(
      'Open a Coretex secret field (base64 RSA-PKCS1-v1_5) with the key derived from a node secret',
    )
    .requiredOption('--secret-file <file>', 'file whose first line is the Coretex node secret')
    .argument('[field]', 'the base64 field; read from standard input when omitted')
    .action(async (field: string | undefined, opts: { secretFile: string }, command: Command) => {
      const key = deriveCoretexNodeKey(await readFirstLine(opts.secretFile, 'secret'))
      const opened = openCoretexSecretField(key.privateKey, field ?? (await text(process.stdin)))
      print(command.optsWithGlobals<GlobalOptions>(), { value: opened }, [opened])
    })
}
