import { Command } from 'commander'
import { compatCoretexDecryptCommand } from './compat-coretex-decrypt.ts'
import { compatCoretexDeriveKeyCommand } from './compat-coretex-derive-key.ts'
import { compatCoretexOpenSecretCommand } from './compat-coretex-open-secret.ts'

export function compatCommand(): Command {
  return new Command('compat')
    .description('Read what other systems wrote, to move it to Sealnet')
    .addCommand(
      new Command('coretex')
        .description('Coretex: derive node keys, decrypt files, open secret fields')
        .addCommand(compatCoretexDeriveKeyCommand())
        .addCommand(compatCoretexDecryptCommand())
        .addCommand(compatCoretexOpenSecretCommand()),
    )
}
