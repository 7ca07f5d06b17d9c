import { resolve } from 'node:path'
import { Command } from 'commander'
import { refuseExisting, writeFileAtomic } from '../../sdk/index.ts'
import { type GlobalOptions, print } from '../io.ts'

export function nodeSwarmKeyCommand(): Command {
  return new Command('swarm-key')
    .description(
      'Write a new pre-shared swarm key: nodes given it (node init --swarm-key) form a closed network',
    )
    .argument('<file>', 'where to write the key (refused if it exists)')
    .action(async (file: string, _opts: unknown, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>()
      const path = resolve(file)
      await refuseExisting(path)
      const { generateKey } = await import('@libp2p/pnet')
      const key = new Uint8Array(95)
      generateKey(key)
      await writeFileAtomic(path, key)
      print(global, { swarmKey: path }, [
        `swarm key written to ${path} (mode 600); share it only with the operators of this network`,
      ])
    })
}
