import { Command } from 'commander'
import { auditProjectCommand } from './audit-project.ts'
import { auditServeCommand } from './audit-serve.ts'
import { auditVerifyCommand } from './audit-verify.ts'

export function auditCommand(): Command {
  return new Command('audit')
    .description('Read and check the on-chain log (needs no key or password)')
    .addCommand(auditProjectCommand())
    .addCommand(auditVerifyCommand())
    .addCommand(auditServeCommand())
}
