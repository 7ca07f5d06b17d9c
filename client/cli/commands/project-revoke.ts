import { Command } from 'commander'
import { RotationIncompleteError, revokeAccess } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'

export function projectRevokeCommand(): Command {
  return withUserOptions(
    new Command('revoke')
      .description(
        "Revoke a teammate's or a node's access: roles and grant revoked on chain, the project key rotated, the new version re-granted to every remaining node (re-attested) and member; new data is sealed under it",
      )
      .argument('<project>', 'project name')
      .argument('<identity>', 'the teammate or node to revoke'),
  ).action(async (project: string, identity: string, opts: UserOptions, command: Command) => {
    const global = command.optsWithGlobals<GlobalOptions>()
    await withSession(global, opts, async session => {
      const overview = await session.project(project)
      const ownKey = await session.wrappedProjectKey(overview)
      note(`revoking ${identity} and rotating the key of ${project} …`)
      const done = await revokeAccess({
        client: await session.client(),
        ledger: session.ledger,
        project: overview,
        me: session.key,
        ownKey,
        revoke: identity,
      })
      await session.keyring.save(done.own)
      const { own: _own, ...summary } = done
      print(global, { project, ...summary }, [
        `${identity} revoked from ${project}${done.rolesRevoked.length ? ` (roles: ${done.rolesRevoked.join(', ')})` : ''}`,
        `key rotated to version ${done.keyVersion}: re-granted to ${[...done.nodes, ...done.members].join(', ') || 'nobody else'}`,
        ...done.unreached.map(
          u => `not reached: ${u.identity} (${u.error}); re-authorize or re-share later`,
        ),
        'data uploaded from now on is sealed under the new version',
      ])
      if (done.unreached.length > 0)
        throw new RotationIncompleteError(done.unreached.map(u => u.identity))
    })
  })
}
