import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Command, Option } from 'commander'
import {
  importPublicKey,
  openSecret,
  SECRET_TYPES,
  sealSecret,
  shareSecret,
} from '../../../protocol/crypto/index.ts'
import {
  deliverSecretToNode,
  parseSealedSecret,
  refuseExisting,
  SecretStore,
  UnknownIdentityError,
  writeFileAtomic,
} from '../../sdk/index.ts'
import { type GlobalOptions, print, sealnetHome, UsageError } from '../io.ts'
import {
  currentIdentity,
  lookupRecord,
  type UserOptions,
  withSession,
  withUserOptions,
} from '../user-session.ts'
import { openProjectLedger } from './open-project.ts'

const store = (global: GlobalOptions) => new SecretStore(join(sealnetHome(global), 'secrets'))

/** `--field a=b` pairs and an optional JSON file, merged (the fields win). */
async function secretData(opts: { field: string[]; dataFile?: string }) {
  const data: Record<string, string> = opts.dataFile
    ? JSON.parse(await readFile(opts.dataFile, 'utf8'))
    : {}
  for (const pair of opts.field) {
    const at = pair.indexOf('=')
    if (at < 1) throw new UsageError(`--field takes name=value; got ${pair}`)
    data[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return data
}

function secretCreateCommand(): Command {
  return new Command('create')
    .description(
      'Keep a secret of a project (credentials, AWS, Git, generic), validated and sealed to your own key in <home>/secrets (no password needed)',
    )
    .argument('<project>', 'project name')
    .argument('<name>', 'secret name: letters, digits, ".", "_" or "-"')
    .addOption(
      new Option('--type <type>', 'kind of secret').choices(SECRET_TYPES).makeOptionMandatory(),
    )
    .option(
      '--data-file <file>',
      'a JSON object of its fields, e.g. {"username": "etl", "password": "…"} (keeps values out of shell history)',
    )
    .option(
      '--field <name=value...>',
      'a field on the command line (fine for non-secret fields such as a region)',
      [],
    )
    .option('-i, --identity <identity>', 'whose secret (default: yours)')
    .action(
      async (
        project: string,
        name: string,
        opts: { type: string; dataFile?: string; field: string[]; identity?: string },
        command: Command,
      ) => {
        const global = command.optsWithGlobals<GlobalOptions>()
        const { close } = await openProjectLedger(global, project)
        await close()
        const identity = await currentIdentity(sealnetHome(global), opts.identity)
        const record = await lookupRecord(global, identity)
        const sealed = sealSecret(
          { type: opts.type, name, data: await secretData(opts) },
          importPublicKey(record.publicKey),
        )
        await store(global).save(project, sealed)
        print(global, { project, name, type: sealed.type, recipient: sealed.recipient }, [
          `secret ${name} (${sealed.type}) of ${project} sealed to ${identity}'s key`,
        ])
      },
    )
}

function secretListCommand(): Command {
  return new Command('list')
    .description('List the secrets you keep for a project: names and types, nothing opened')
    .argument('<project>', 'project name')
    .action(async (project: string, _opts: unknown, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const secrets = await store(global).list(project)
      print(
        global,
        secrets,
        secrets.length === 0
          ? [`no secrets for ${project} yet: "sealnet secret create ${project} NAME --type …"`]
          : secrets.map(s => `${s.name.padEnd(24)} ${s.type}`),
      )
    })
}

function secretShowCommand(): Command {
  return withUserOptions(
    new Command('show')
      .description('Open a secret with your master key; values are masked unless --reveal')
      .argument('<project>', 'project name')
      .argument('<name>', 'secret name')
      .option('--reveal', 'print the values too'),
  ).action(
    async (
      project: string,
      name: string,
      opts: UserOptions & { reveal?: boolean },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const sealed = await store(global).load(project, name)
      await withSession(global, opts, async session => {
        const secret = openSecret(sealed, session.key.privateKey)
        const fields = Object.entries(secret.data as Record<string, string>).map(
          ([field, value]) => [field, opts.reveal ? value : '••••••'] as const,
        )
        print(global, { ...secret, data: Object.fromEntries(fields) }, [
          `${secret.name} (${secret.type})`,
          ...fields.map(([field, value]) => `  ${field.padEnd(18)} ${value}`),
        ])
      })
    },
  )
}

function secretShareCommand(): Command {
  return withUserOptions(
    new Command('share')
      .description(
        "Share a secret: with a node, sealed to its registered key and delivered over libp2p (it keeps it in its vault for jobs; you must be a project admin); with a teammate, sealed to their registered key into --out FILE, for them to 'secret import'",
      )
      .argument('<project>', 'project name')
      .argument('<name>', 'secret name')
      .argument('<identity>', 'a node or a teammate, as registered on the ledger')
      .option('--out <file>', 'for a teammate: where to write the secret sealed to them'),
  ).action(
    async (
      project: string,
      name: string,
      identity: string,
      opts: UserOptions & { out?: string },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const sealed = await store(global).load(project, name)
      await withSession(global, opts, async session => {
        // the key the ledger holds for them: no second connection for their record
        const grantee = await session.ledger.identity(identity)
        if (!grantee) throw new UnknownIdentityError(identity)
        if (grantee.kind === 'node') {
          const done = await deliverSecretToNode({
            client: await session.client(),
            ledger: session.ledger,
            project,
            sealed,
            privateKey: session.key.privateKey,
            node: identity,
          })
          print(global, { project, name, node: identity, peerId: done.peerId }, [
            `secret ${name} delivered to ${identity}, sealed to its key; it keeps it in its vault`,
          ])
          return
        }
        if (!opts.out)
          throw new UsageError(
            `${identity} is a user: pass --out FILE, then give them the file (it opens only with their key)`,
          )
        await refuseExisting(opts.out)
        const forThem = shareSecret(
          sealed,
          session.key.privateKey,
          importPublicKey(grantee.publicKey),
        )
        await writeFileAtomic(opts.out, `${JSON.stringify(forThem, null, 2)}\n`)
        print(global, { project, name, identity, out: opts.out }, [
          `secret ${name} sealed to ${identity}'s key in ${opts.out}: send it any way you like; they run "sealnet secret import ${project} ${opts.out}"`,
        ])
      })
    },
  )
}

function secretImportCommand(): Command {
  return withUserOptions(
    new Command('import')
      .description(
        'Keep a secret a teammate sealed to you ("secret share … --out"), after checking it opens',
      )
      .argument('<project>', 'project name')
      .argument('<file>', 'the sealed secret file'),
  ).action(async (project: string, file: string, opts: UserOptions, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    const sealed = parseSealedSecret(JSON.parse(await readFile(file, 'utf8')))
    await withSession(global, opts, async session => {
      openSecret(sealed, session.key.privateKey)
      await store(global).save(project, sealed)
      print(global, { project, name: sealed.name, type: sealed.type }, [
        `secret ${sealed.name} (${sealed.type}) of ${project} opens with your key; kept`,
      ])
    })
  })
}

export function secretCommand(): Command {
  return new Command('secret')
    .description('Secrets of a project (credentials, AWS, Git, generic): sealed, listed, shared')
    .addCommand(secretCreateCommand())
    .addCommand(secretListCommand())
    .addCommand(secretShowCommand())
    .addCommand(secretShareCommand())
    .addCommand(secretImportCommand())
}
