/**
 * Audit queries over contract events (auditors read events, never private state): the
 * timeline of a project, an identity or a job, filtered by kind and time, paginated.
 * @module
 */
import {
  type Contract,
  type EventFragment,
  isAddress,
  type Log,
  type LogDescription,
  type ParamType,
  type Result,
  zeroPadValue,
} from 'ethers'
import { identityIdOf, ROLES } from './ids.ts'
import type { Ledger } from './ledger.ts'
import { IDENTITY_KINDS } from './on-chain-types.ts'

export interface TimelineEntry {
  /** Event name, e.g. ProjectKeyGranted. */
  kind: string
  contract: 'identities' | 'projects' | 'jobs' | 'actions'
  blockNumber: number
  logIndex: number
  transactionHash: string
  /** Block time, seconds since the epoch. */
  timestamp: number
  /** Named event arguments; integers as decimal strings, so the entry is JSON-safe. */
  args: Record<string, unknown>
}

export interface TimelineQuery {
  /** Only these event names. */
  kinds?: readonly string[]
  /** Only entries that mention this identity (by name, id or controlling account) or account address. */
  involving?: string
  /** Unix seconds, inclusive. */
  fromTime?: number
  toTime?: number
  offset?: number
  /** @default 1000 */
  limit?: number
}

export interface TimelinePage {
  entries: TimelineEntry[]
  /** Entries matching the query before offset and limit. */
  total: number
}

/** A block time (Unix seconds) as ISO 8601 to the second, e.g. 2026-11-23T08:00:00Z. */
export function blockTimeIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

/** getLogs over at most this many blocks per call: public RPC endpoints cap ranges. */
const BLOCK_RANGE = 10_000

/** Which topic position holds the project id, per contract (events without it are skipped). */
type Source = { contract: TimelineEntry['contract']; topicIndex: number }

function namedArgs(parsed: LogDescription): Record<string, unknown> {
  return Object.fromEntries(
    parsed.fragment.inputs.map((input, i) => [input.name, toPlain(parsed.args[i], input)]),
  )
}

/** A decoded value as plain JSON, with struct fields named after the ABI. */
function toPlain(value: unknown, type: ParamType): unknown {
  if (type.isArray())
    return (value as Result).toArray().map(item => toPlain(item, type.arrayChildren))
  if (type.isTuple())
    return Object.fromEntries(
      type.components.map((c, i) => [c.name, toPlain((value as Result)[i], c)]),
    )
  return typeof value === 'bigint' ? value.toString() : value
}

async function logsFor(
  ledger: Ledger,
  contract: Contract,
  topics: (string | null)[],
): Promise<Log[]> {
  const provider = contract.runner!.provider!
  const latest = await provider.getBlockNumber()
  const address = await contract.getAddress()
  const logs: Log[] = []
  for (let start = ledger.deployment.fromBlock; start <= latest; start += BLOCK_RANGE) {
    logs.push(
      ...(await provider.getLogs({
        address,
        topics,
        fromBlock: start,
        toBlock: Math.min(latest, start + BLOCK_RANGE - 1),
      })),
    )
  }
  return logs
}

/** Every event of `contract` whose topic at `topicIndex` equals `value`. */
async function eventsWithTopic(
  ledger: Ledger,
  source: Source,
  value: string,
): Promise<{ log: Log; parsed: LogDescription }[]> {
  const contract = ledger[source.contract]
  const out: { log: Log; parsed: LogDescription }[] = []
  const fragments: EventFragment[] = []
  contract.interface.forEachEvent(fragment => {
    const indexed = fragment.inputs.filter(input => input.indexed)
    if (indexed[source.topicIndex - 1]?.type === 'bytes32') fragments.push(fragment)
  })
  for (const fragment of fragments) {
    const topics: (string | null)[] = [fragment.topicHash]
    for (let i = 1; i < source.topicIndex; i++) topics.push(null)
    topics.push(value)
    for (const log of await logsFor(ledger, contract, topics)) {
      const parsed = contract.interface.parseLog(log)
      if (parsed) out.push({ log, parsed })
    }
  }
  return out
}

async function page(
  ledger: Ledger,
  found: { log: Log; parsed: LogDescription; contract: TimelineEntry['contract'] }[],
  query: TimelineQuery,
): Promise<TimelinePage> {
  const unique = new Map<string, (typeof found)[number]>()
  for (const item of found) unique.set(`${item.log.transactionHash}:${item.log.index}`, item)
  const sorted = [...unique.values()].sort(
    (a, b) => a.log.blockNumber - b.log.blockNumber || a.log.index - b.log.index,
  )
  const provider = ledger.projects.runner!.provider!
  const times = new Map<number, number>()
  const entries: TimelineEntry[] = []
  // an identity is named by its name, its id, or the account that controls it
  const involving: string[] = []
  if (query.involving !== undefined) {
    involving.push(query.involving.toLowerCase(), identityIdOf(query.involving).toLowerCase())
    if (!isAddress(query.involving)) {
      const controller = (await ledger.identity(query.involving))?.controller
      if (controller) involving.push(controller.toLowerCase())
    }
  }
  for (const { log, parsed, contract } of sorted) {
    if (query.kinds && !query.kinds.includes(parsed.name)) continue
    const args = namedArgs(parsed)
    if (involving.length > 0) {
      const text = JSON.stringify(args).toLowerCase()
      if (!involving.some(term => text.includes(term))) continue
    }
    if (!times.has(log.blockNumber))
      times.set(log.blockNumber, (await provider.getBlock(log.blockNumber))!.timestamp)
    const timestamp = times.get(log.blockNumber)!
    if (query.fromTime !== undefined && timestamp < query.fromTime) continue
    if (query.toTime !== undefined && timestamp > query.toTime) continue
    entries.push({
      kind: parsed.name,
      contract,
      blockNumber: log.blockNumber,
      logIndex: log.index,
      transactionHash: log.transactionHash,
      timestamp,
      args,
    })
  }
  const offset = query.offset ?? 0
  return { entries: entries.slice(offset, offset + (query.limit ?? 1000)), total: entries.length }
}

/**
 * Everything that happened to a project: roles, retention, key versions, grants and
 * revocations, allowlist changes, access batches, jobs and sensitive actions, in order.
 * @example const { entries } = await projectTimeline(ledger, projectIdOf('acme-churn'), { kinds: ['ProjectKeyGranted'] })
 */
export async function projectTimeline(
  ledger: Ledger,
  projectId: string,
  query: TimelineQuery = {},
): Promise<TimelinePage> {
  const sources: Source[] = [
    { contract: 'projects', topicIndex: 1 },
    { contract: 'jobs', topicIndex: 2 },
    { contract: 'actions', topicIndex: 1 },
    { contract: 'actions', topicIndex: 2 },
  ]
  const found = []
  for (const source of sources) {
    for (const item of await eventsWithTopic(ledger, source, projectId))
      found.push({ ...item, contract: source.contract })
  }
  return page(ledger, found, query)
}

/** Everything recorded about an identity: its keys, the grants it received, the jobs it ran, its access reports. */
export async function identityTimeline(
  ledger: Ledger,
  name: string,
  query: TimelineQuery = {},
): Promise<TimelinePage> {
  const id = identityIdOf(name)
  const sources: Source[] = [
    { contract: 'identities', topicIndex: 1 },
    { contract: 'projects', topicIndex: 2 },
    { contract: 'jobs', topicIndex: 3 },
  ]
  const found = []
  for (const source of sources) {
    for (const item of await eventsWithTopic(ledger, source, id))
      found.push({ ...item, contract: source.contract })
  }
  return page(ledger, found, query)
}

/** The life of one job: submitted, assigned, failed, completed. */
export async function jobTimeline(
  ledger: Ledger,
  jobId: string,
  query: TimelineQuery = {},
): Promise<TimelinePage> {
  const found = (await eventsWithTopic(ledger, { contract: 'jobs', topicIndex: 1 }, jobId)).map(
    item => ({ ...item, contract: 'jobs' as const }),
  )
  return page(ledger, found, query)
}

export interface RegisteredIdentity {
  identityId: string
  name: string
  kind: 'user' | 'node'
  /** The EVM account that controls it. */
  controller: string
  peerId: string
}

/** Every identity ever registered (IdentityRegistered events), oldest first. */
export async function registeredIdentities(ledger: Ledger): Promise<RegisteredIdentity[]> {
  const fragment = ledger.identities.interface.getEvent('IdentityRegistered')!
  const out: RegisteredIdentity[] = []
  for (const log of await logsFor(ledger, ledger.identities, [fragment.topicHash])) {
    const parsed = ledger.identities.interface.parseLog(log)
    if (!parsed) continue
    const { identityId, name, controller, peerId } = parsed.args
    const kind = Number(parsed.args.kind) === IDENTITY_KINDS.node ? 'node' : 'user'
    out.push({ identityId, name, kind, controller, peerId })
  }
  return out
}

/**
 * Names for the ids an auditor sees: each identity id and its controlling account (lower
 * case) → the identity's name, and the role hashes → owner, admin, member, auditor.
 */
export function namesOf(identities: readonly RegisteredIdentity[]): Map<string, string> {
  const names = new Map<string, string>(Object.entries(ROLES).map(([name, hash]) => [hash, name]))
  for (const identity of identities) {
    names.set(identity.identityId, identity.name)
    names.set(identity.controller.toLowerCase(), identity.name)
  }
  return names
}

/** namesOf every identity ever registered (IdentityRegistered events). */
export async function knownNames(ledger: Ledger): Promise<Map<string, string>> {
  return namesOf(await registeredIdentities(ledger))
}

export interface CreatedProject {
  projectId: string
  name: string
  owner: string
  blockNumber: number
}

/** Every project ever created (ProjectCreated events), oldest first. */
export async function createdProjects(ledger: Ledger): Promise<CreatedProject[]> {
  const { projects } = ledger
  const created = projects.interface.getEvent('ProjectCreated')!
  return (await logsFor(ledger, projects, [created.topicHash])).map(log => {
    const { projectId, name, owner } = projects.interface.parseLog(log)!.args
    return { projectId, name, owner, blockNumber: log.blockNumber }
  })
}

/** Ids and names of the projects in which `account` was ever given a role, oldest first. */
export async function projectsOf(
  ledger: Ledger,
  account: string,
): Promise<Array<{ projectId: string; name: string }>> {
  const { projects } = ledger
  const granted = projects.interface.getEvent('ProjectRoleGranted')!
  const ids = new Set<string>()
  for (const log of await logsFor(ledger, projects, [
    granted.topicHash,
    null,
    null,
    zeroPadValue(account, 32),
  ]))
    ids.add(log.topics[1]!)
  return (await createdProjects(ledger))
    .filter(p => ids.has(p.projectId))
    .map(({ projectId, name }) => ({ projectId, name }))
}
