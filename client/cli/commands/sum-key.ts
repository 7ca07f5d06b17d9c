import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Command } from 'commander'
import {
  encodePaillierPrivateKey,
  generatePaillierKeys,
  importPublicKey,
  PAILLIER_DEFAULT_BITS,
  paillierKeyId,
  sealSecret,
} from '../../../protocol/crypto/index.ts'
import { refuseExisting, SecretStore } from '../../sdk/index.ts'
import { type GlobalOptions, print, sealnetHome, UsageError } from '../io.ts'
import { currentIdentity, lookupRecord, note } from '../user-session.ts'
import { openProjectLedger } from './open-project.ts'
import { paillierPublicKeyFile } from './paillier-key-file.ts'

function sumKeyCreateCommand(): Command {
  return new Command('create')
    .description(
      'Make a Paillier key pair for sum jobs: the private key kept as a secret of the project sealed to your key (share it with "secret share"), the public key written to a file for the members who upload values',
    )
    .argument('<project>', 'project name')
    .argument('<name>', 'name of the key: its secret is called this')
    .option('--bits <n>', 'modulus size', String(PAILLIER_DEFAULT_BITS))
    .option('--out <file>', 'where to write the public key (default: <name>.paillier.json)')
    .option('-i, --identity <identity>', 'whose key (default: yours)')
    .action(
      async (
        project: string,
        name: string,
        opts: { bits: string; out?: string; identity?: string },
        command: Command,
      ) => {
        const global = command.optsWithGlobals<GlobalOptions>()
        const bits = Number(opts.bits)
        if (!Number.isInteger(bits) || bits < 2048 || bits > 8192)
          throw new UsageError(`--bits must be a whole number from 2048 to 8192; got ${opts.bits}`)
        const { close } = await openProjectLedger(global, project)
        await close()
        const home = sealnetHome(global)
        const identity = await currentIdentity(home, opts.identity)
        const record = await lookupRecord(global, identity)
        const store = new SecretStore(join(home, 'secrets'))
        // a second key under one name would orphan every total sealed to the first
        if ((await store.list(project)).some(s => s.name === name))
          throw new UsageError(`${project} already has a secret named ${name}; choose another name`)
        const out = opts.out ?? `${name}.paillier.json`
        await refuseExisting(out)
        note(`generating a ${bits}-bit Paillier key…`)
        const keys = await generatePaillierKeys(bits)
        const { n, lambda, mu } = encodePaillierPrivateKey(keys.privateKey)
        await store.save(
          project,
          sealSecret(
            { type: 'paillier', name, data: { n, lambda, mu } },
            importPublicKey(record.publicKey),
          ),
        )
        await writeFile(out, paillierPublicKeyFile(keys.publicKey), { flag: 'wx' })
        const keyId = paillierKeyId(keys.publicKey)
        print(global, { project, name, keyId, bits, publicKeyFile: out }, [
          `Paillier key ${keyId} (${bits} bits): private key kept as secret ${name} of ${project}, sealed to ${identity}'s key`,
          `public key written to ${out}: members upload values with "sealnet upload ${project} FILE --paillier ${out}"`,
        ])
      },
    )
}

export function sumKeyCommand(): Command {
  return new Command('sum-key')
    .description('Paillier keys for sum jobs: nodes add values they cannot read')
    .addCommand(sumKeyCreateCommand())
}
