import { Command } from 'commander'
import { nodeInitCommand } from './node-init.ts'
import { nodeStartCommand } from './node-start.ts'
import { nodeSwarmKeyCommand } from './node-swarm-key.ts'

/** Node commands load node/ (libp2p, LevelDB) only when they run, so other commands start fast. */
export function nodeCommand(): Command {
  return new Command('node')
    .description('Run a Sealnet peer node: set it up once, then start it')
    .addCommand(nodeInitCommand())
    .addCommand(nodeStartCommand())
    .addCommand(nodeSwarmKeyCommand())
}
