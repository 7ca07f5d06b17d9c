import { Command } from 'commander'
import { authorizeNode, UnknownIdentityError } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'
import { note, type UserOptions, withSession, withUserOptions } from '../user-session.ts'
import { fingerprintOption, requireFingerprint } from './fingerprint-option.ts'

export function nodeAuthorizeCommand(): Command {
  return withUserOptions(
    new Command('authorize')
      .description(
        "Authorize a node for a project: it attests its measurement to a fresh nonce, signed by its registered key; only a measurement on the project's allowlist gets the project key, recorded on chain and delivered over libp2p",
      )
      .argument('<project>', 'project name')
      .argument('<node>', 'the node identity, as registered by "sealnet node init"')
      .addOption(fingerprintOption()),
  ).action(
    async (
      project: string,
      node: string,
      opts: UserOptions & { fingerprint?: string },
      command: Command,
    ) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      await withSession(global, opts, async session => {
        const overview = await session.project(project)
        const registered = await session.ledger.identity(node)
        if (!registered) throw new UnknownIdentityError(node)
        requireFingerprint(node, registered.fingerprint, opts.fingerprint)
        note(`asking ${node} for its attestation …`)
        const done = await authorizeNode({
          client: await session.client(),
          ledger: session.ledger,
          ownKey: await session.wrappedProjectKey(overview),
          privateKey: session.key.privateKey,
          node,
        })
        print(global, { project, fingerprint: registered.fingerprint, ...done }, [
          `${node} attested measurement ${done.measurement.slice(0, 18)}…, on the allowlist of ${project}`,
          `key version ${done.keyVersion} granted on chain and delivered to ${done.peerId}`,
          `${node}'s key fingerprint: ${registered.fingerprint} (check it with its operator)`,
        ])
      })
    },
  )
}
