import { Command, Option } from 'commander'
import {
  createMasterKeyRecord,
  DEFAULT_MASTER_KEY_PARAMS,
  deriveMasterKey,
  MASTER_KEY_SIZES,
  type MasterKeySize,
} from '../../../protocol/crypto/index.ts'
import { ownWallet } from '../../../protocol/ledger/index.ts'
import {
  FileIdentityDirectory,
  hasDeployment,
  LedgerIdentityDirectory,
  openLedger,
  requireStrongPassword,
} from '../../sdk/index.ts'
import { type GlobalOptions, print, readPassword, sealnetHome } from '../io.ts'
import { chainLocation, saveCurrentIdentity } from '../user-session.ts'
import { identitiesFolder } from './key-paths.ts'

export function keyInitCommand(): Command {
  return new Command('init')
    .description('Derive your master key from a password and register its public record')
    .requiredOption(
      '-i, --identity <identity>',
      'who you are, e.g. alice@acme.example (the salt of your key)',
    )
    .addOption(
      new Option('--bits <bits>', 'RSA key size')
        .choices(MASTER_KEY_SIZES.map(String))
        .default(String(DEFAULT_MASTER_KEY_PARAMS.bits)),
    )
    .option(
      '--password-file <file>',
      'read the password from the first line of a file (else $SEALNET_PASSWORD, else a prompt)',
    )
    .action(
      async (opts: { identity: string; bits: string; passwordFile?: string }, command: Command) => {
        const global = command.optsWithGlobals<GlobalOptions>()
        const password = await readPassword(opts, true)
        // an offline guess costs the KDF's 0.45 s: only a password of many guesses holds
        requireStrongPassword(password, opts.identity)
        const started = performance.now()
        const key = await deriveMasterKey(password, opts.identity, {
          ...DEFAULT_MASTER_KEY_PARAMS,
          bits: Number(opts.bits) as MasterKeySize,
        })
        const record = createMasterKeyRecord(key)
        const home = sealnetHome(global)
        const location = chainLocation(global)
        const onChain = await hasDeployment(location)
        if (onChain) {
          const { ledger, chain, close } = await openLedger(location)
          try {
            const wallet = await ownWallet(chain, key.privateKey, { fund: true })
            await new LedgerIdentityDirectory(ledger.as(wallet)).register(record)
          } finally {
            await close()
          }
        } else await new FileIdentityDirectory(identitiesFolder(home)).register(record)
        await saveCurrentIdentity(home, record.identity)
        const seconds = ((performance.now() - started) / 1000).toFixed(2)
        print(
          global,
          {
            identity: record.identity,
            fingerprint: record.fingerprint,
            bits: record.params.bits,
            seconds: Number(seconds),
            registeredOn: onChain ? 'ledger' : 'folder',
          },
          [
            `master key for ${record.identity}: RSA-${record.params.bits}, derived in ${seconds} s`,
            `fingerprint ${record.fingerprint}`,
            onChain
              ? 'public record registered on the ledger; the private key was not written anywhere'
              : `no chain yet: public record kept in ${identitiesFolder(home)}, registered on the ledger on first use; the private key was not written anywhere`,
          ],
        )
      },
    )
}
