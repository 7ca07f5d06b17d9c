import { readFile } from 'node:fs/promises'
import { Command } from 'commander'
import { parseCoretexProjectKey } from '../../../protocol/compat/coretex/index.ts'
import { decryptCoretexFile } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'

export function compatCoretexDecryptCommand(): Command {
  return new Command('decrypt')
    .description('Decrypt a Coretex AES-256-CBC file (written only when complete)')
    .requiredOption(
      '--key-file <file>',
      'file holding the Coretex project key (base64 of 32 bytes)',
    )
    .option('--force', 'replace OUT if it exists')
    .argument('<in>', 'Coretex-encrypted file')
    .argument('<out>', 'where to write the plaintext')
    .action(
      async (
        input: string,
        output: string,
        opts: { keyFile: string; force?: boolean },
        command: Command,
      ) => {
        const key = parseCoretexProjectKey(await readFile(opts.keyFile, 'utf8'))
        await decryptCoretexFile(key, input, output, { overwrite: opts.force })
        print(command.optsWithGlobals<GlobalOptions>(), { input, output }, [
          `decrypted ${input} → ${output}`,
        ])
      },
    )
}
