import { Command } from 'commander'
import { nodeAuthorizeCommand } from './node-authorize.ts'
import { nodeInitCommand } from './node-init.ts'
import { nodeStartCommand } from './node-start.ts'
import { nodeSwarmKeyCommand } from './node-swarm-key.ts'

/** Node commands load node/ (libp2p, LevelDB) only when they run, so other commands start fast. */
export function nodeCommand(): Command {
  return new Command('node')
    .description('Run a Sealnet peer node (init once, then start); authorize nodes for a project')
    .addCommand(nodeInitCommand())
    .addCommand(nodeStartCommand())
    .addCommand(nodeSwarmKeyCommand())
    .addCommand(nodeAuthorizeCommand())
}
