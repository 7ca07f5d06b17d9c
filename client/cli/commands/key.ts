import { Command } from 'commander'
import { keyInitCommand } from './key-init.ts'
import { keyOpenCommand } from './key-open.ts'
import { keyShowCommand } from './key-show.ts'

export function keyCommand(): Command {
  return new Command('key')
    .description('Your master key: derive it from a password, check it, show its public record')
    .addCommand(keyInitCommand())
    .addCommand(keyOpenCommand())
    .addCommand(keyShowCommand())
}
