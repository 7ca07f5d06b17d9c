/**
 * The dashboard's reads: the chain's projects and identities, one project's view, and its
 * filtered timeline. Each reads contract events through the Ledger, read-only.
 * @module
 */
import {
  createdProjects,
  knownNames,
  type Ledger,
  namesOf,
  projectTimeline,
  registeredIdentities,
  type TimelineQuery,
} from '../../../protocol/ledger/index.ts'
import {
  overviewOfEvents,
  type TrailCheck,
  type TrailReport,
  UnknownProjectError,
  verifyProjectTrail,
} from '../../sdk/index.ts'
import type { Overview, ProjectView, TimelineResponse } from '../api-types.ts'
import {
  accessSeries,
  allowedMeasurements,
  grantHistory,
  jobSummaries,
  nodeStatuses,
} from './project-view.ts'

const EVERYTHING = { limit: Number.MAX_SAFE_INTEGER }

export async function readOverview(ledger: Ledger): Promise<Overview> {
  const projects = (await createdProjects(ledger)).map(({ blockNumber, ...p }) => ({
    ...p,
    createdBlock: blockNumber,
  }))
  return { projects, identities: await registeredIdentities(ledger) }
}

/** UnknownProjectError unless the chain has project `projectId`. */
async function requireProject(ledger: Ledger, projectId: string): Promise<void> {
  try {
    await ledger.keyVersion(projectId)
  } catch (err) {
    if ((err as { reason?: string }).reason === 'ProjectsUnknown')
      throw new UnknownProjectError(projectId)
    throw err
  }
}

/**
 * One project as the dashboard shows it, and its trail re-check (the report's last part),
 * from one read of its timeline. `known` keeps proof checks between calls: a completed
 * job's proofs are verified (snarkjs) once per server, not on every refresh.
 */
export async function readProjectView(
  ledger: Ledger,
  projectId: string,
  known: Map<string, TrailCheck>,
): Promise<{ view: ProjectView; trail: TrailReport }> {
  await requireProject(ledger, projectId)
  const identities = await registeredIdentities(ledger)
  const { entries } = await projectTimeline(ledger, projectId, EVERYTHING)
  const overview = overviewOfEvents(projectId, entries, identities)
  const names = namesOf(identities)
  const trail = await verifyProjectTrail(ledger, projectId, { known, timeline: entries })
  const { checks } = trail
  const view: ProjectView = {
    projectId,
    name: overview.name,
    owner: names.get(overview.owner.toLowerCase()) ?? overview.owner,
    retentionSeconds: overview.retentionSeconds,
    keyVersion: overview.keyVersion,
    members: overview.members,
    nodes: nodeStatuses(entries, identities, overview.keyVersion),
    grantHistory: grantHistory(entries, names),
    datasets: overview.datasets.map(({ datasetId, root, chunks }) => ({ datasetId, root, chunks })),
    allowedMeasurements: allowedMeasurements(entries),
    jobs: jobSummaries(entries, names, checks),
    access: accessSeries(entries, checks),
  }
  return { view, trail }
}

/** Kinds of event a project's timeline can hold, for the page's filter. */
function projectEventKinds(ledger: Ledger): string[] {
  const kinds = new Set<string>()
  for (const contract of [ledger.projects, ledger.jobs, ledger.actions])
    contract.interface.forEachEvent(fragment => {
      if (fragment.inputs.some(input => input.indexed && input.name === 'projectId'))
        kinds.add(fragment.name)
    })
  return [...kinds].sort()
}

export async function readTimeline(
  ledger: Ledger,
  projectId: string,
  query: TimelineQuery,
): Promise<TimelineResponse> {
  await requireProject(ledger, projectId)
  const page = await projectTimeline(ledger, projectId, query)
  const names = await knownNames(ledger)
  return { ...page, names: Object.fromEntries(names), kinds: projectEventKinds(ledger) }
}
