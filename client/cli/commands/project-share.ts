import { Command, Option } from 'commander'
import { projectIdOf, type RoleName } from '../../../protocol/ledger/index.ts'
import { grantToMember, UnknownIdentityError } from '../../sdk/index.ts'
import { type GlobalOptions, print, UsageError } from '../io.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'
import { fingerprintOption, requireFingerprint } from './fingerprint-option.ts'

export function projectShareCommand(): Command {
  return withUserOptions(
    new Command('share')
      .description(
        "Share a project with a teammate: a role on chain and, for members and admins, the project key re-wrapped to the teammate's registered key, its grant recorded on chain and left with the project's nodes for the teammate to fetch",
      )
      .argument('<project>', 'project name')
      .argument('<identity>', 'the teammate, as registered with "sealnet key init"')
      .addOption(
        new Option('--role <role>', 'what the teammate may do')
          .choices(['member', 'admin', 'auditor'])
          .default('member'),
      )
      .addOption(fingerprintOption()),
  ).action(
    async (
      project: string,
      identity: string,
      opts: UserOptions & { role: RoleName; fingerprint?: string },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      await withSession(global, opts, async session => {
        const overview = await session.project(project)
        const grantee = await session.ledger.identity(identity)
        if (!grantee) throw new UnknownIdentityError(identity)
        if (grantee.kind !== 'user')
          throw new UsageError(
            `${identity} is a node: use "sealnet node authorize ${project} ${identity}"`,
          )
        requireFingerprint(identity, grantee.fingerprint, opts.fingerprint)
        note(`${identity} is registered with key ${grantee.fingerprint}`)
        const projectId = projectIdOf(project)
        let keyVersion: number | undefined
        if (opts.role !== 'auditor') {
          // the key first, the role last: a failure leaves no role without its key
          const storage = await session.storage(overview)
          note(`leaving the wrapped key with ${storage.length} node(s) …`)
          const grant = await grantToMember({
            client: await session.client(),
            ledger: session.ledger,
            ownKey: await session.wrappedProjectKey(overview),
            privateKey: session.key.privateKey,
            identity,
            storage,
          })
          keyVersion = grant.version
        }
        await session.ledger.grantRole(projectId, opts.role, grantee.controller)
        print(
          global,
          { project, identity, fingerprint: grantee.fingerprint, role: opts.role, keyVersion },
          [
            `${identity} is now ${opts.role} of ${project}`,
            keyVersion === undefined
              ? 'auditors get no key: they read the on-chain log'
              : `key version ${keyVersion} wrapped to their key; they fetch it from the project's nodes on first use`,
            `${identity}'s key fingerprint: ${grantee.fingerprint} (check it with them)`,
          ],
        )
      })
    },
  )
}
