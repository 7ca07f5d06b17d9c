import { Command } from 'commander'
import {
  coretexPrivatePem,
  coretexPublicPem,
  deriveCoretexNodeKey,
} from '../../../protocol/compat/coretex/index.ts'
import { readFirstLine } from '../io.ts'

export function compatCoretexDeriveKeyCommand(): Command {
  return new Command('derive-key')
    .description(
      "Derive a Coretex node key from its secret; prints the PKCS#1 public PEM, byte-identical to Coretex's",
    )
    .requiredOption('--secret-file <file>', 'file whose first line is the Coretex node secret')
    .option('--private', 'print the PKCS#8 private key PEM instead (keep it off shared disks)')
    .action(async (opts: { secretFile: string; private?: boolean }) => {
      const key = deriveCoretexNodeKey(await readFirstLine(opts.secretFile, 'secret'))
      process.stdout.write(opts.private ? coretexPrivatePem(key) : coretexPublicPem(key))
    })
}
