import { Command } from 'commander'
import { chainStartCommand } from './chain-start.ts'

export function chainCommand(): Command {
  return new Command('chain')
    .description('The ledger chain on this machine')
    .addCommand(chainStartCommand())
}
