import { Command } from 'commander'
import {
  ACCESS_ACTIONS,
  blockTimeIso,
  knownNames,
  type Ledger,
  projectTimeline,
  type TimelineEntry,
} from '../../../protocol/ledger/index.ts'
import { type GlobalOptions, print, UsageError } from '../io.ts'
import { openProjectLedger } from './open-project.ts'

function seconds(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined
  const ms = Date.parse(text)
  if (Number.isNaN(ms))
    throw new UsageError(
      `${option} must be a date or time like 2026-11-23 or 2026-11-23T08:00:00Z; got ${text}`,
    )
  return Math.floor(ms / 1000)
}

/** One argument for a human: a known id by its name, other long hex shortened. */
function short(value: unknown, names: Map<string, string>): string {
  if (typeof value === 'string' && names.has(value)) return names.get(value)!
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{40,}$/.test(value))
    return `${value.slice(0, 10)}…${value.slice(-4)}`
  if (Array.isArray(value)) return `[${value.length} record${value.length === 1 ? '' : 's'}]`
  return String(value)
}

function line(entry: TimelineEntry, names: Map<string, string>): string {
  const when = blockTimeIso(entry.timestamp)
  const args = Object.entries(entry.args)
    .filter(([name]) => name !== 'projectId' && name !== 'record' && name !== 'publicKey')
    .map(([name, value]) => `${name}=${short(value, names)}`)
    .join(' ')
  return `${when}  #${String(entry.blockNumber).padEnd(6)} ${entry.kind.padEnd(27)} ${args}`
}

/** Every access record with the delete action, from the project's access batches. */
async function printDeletions(
  global: GlobalOptions,
  ledger: Ledger,
  projectId: string,
  project: string,
): Promise<void> {
  const { entries } = await projectTimeline(ledger, projectId, {
    kinds: ['ProjectAccessBatchRecorded'],
    limit: Number.MAX_SAFE_INTEGER,
  })
  const names = await knownNames(ledger)
  const deletions = entries.flatMap(entry =>
    (entry.args.records as Array<Record<string, string>>)
      .filter(r => Number(r.action) === ACCESS_ACTIONS.delete)
      .map(r => ({
        at: Number(r.at),
        objectId: r.objectId!,
        by: names.get(r.accessor!) ?? r.accessor!,
        node: names.get(entry.args.nodeId as string) ?? (entry.args.nodeId as string),
        block: entry.blockNumber,
        transactionHash: entry.transactionHash,
      })),
  )
  print(global, { projectId, deletions }, [
    `deletions in project ${project} (${projectId})`,
    ...deletions.map(
      d =>
        `${blockTimeIso(d.at)}  ${short(d.objectId, names)} deleted by ${d.by} on ${d.node} (recorded in block ${d.block})`,
    ),
    `${deletions.length} deletion${deletions.length === 1 ? '' : 's'}`,
  ])
}

export function auditProjectCommand(): Command {
  return new Command('project')
    .description(
      "Print a project's on-chain timeline: roles, grants, authorizations, accesses, jobs, sensitive actions",
    )
    .argument('<project>', 'project name, or its 0x id')
    .option('--kind <kinds...>', 'only these event kinds, e.g. ProjectKeyGranted JobCompleted')
    .option('--involving <who>', 'only events that mention this identity name or account address')
    .option('--since <time>', 'from this date or time (ISO 8601)')
    .option('--until <time>', 'up to this date or time (ISO 8601)')
    .option(
      '--deletions',
      'list each deletion nodes recorded (retention sweeps, admins, rekeys): what, when, by whom, on which node',
    )
    .option('--limit <n>', 'at most this many entries', '1000')
    .option('--offset <n>', 'skip this many entries', '0')
    .action(
      async (
        project: string,
        opts: Record<string, string | string[] | undefined>,
        command: Command,
      ) => {
        const global = command.optsWithGlobals<GlobalOptions>()
        const { ledger, projectId, close } = await openProjectLedger(global, project)
        try {
          if (opts.deletions) {
            await printDeletions(global, ledger, projectId, project)
            return
          }
          const page = await projectTimeline(ledger, projectId, {
            kinds: opts.kind as string[] | undefined,
            involving: opts.involving as string | undefined,
            fromTime: seconds(opts.since as string | undefined, '--since'),
            toTime: seconds(opts.until as string | undefined, '--until'),
            limit: Number(opts.limit),
            offset: Number(opts.offset),
          })
          const names = global.json ? new Map<string, string>() : await knownNames(ledger)
          const shown = page.entries.length
          print(global, { projectId, total: page.total, entries: page.entries }, [
            `project ${project} (${projectId})`,
            ...page.entries.map(entry => line(entry, names)),
            `${shown} of ${page.total} event${page.total === 1 ? '' : 's'}`,
          ])
        } finally {
          await close()
        }
      },
    )
}
