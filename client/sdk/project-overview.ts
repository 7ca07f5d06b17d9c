/**
 * A project as its contract events tell it: name, owner, retention, key version, who holds
 * which role, which identities hold a grant of which key version, and its datasets. Read
 * from events only (auditors and members alike), so any endpoint that serves logs will do.
 * @module
 */
import {
  type Ledger,
  projectTimeline,
  type RegisteredIdentity,
  ROLES,
  type RoleName,
  registeredIdentities,
  type TimelineEntry,
} from '../../protocol/ledger/index.ts'
import type { StorageNode } from '../../protocol/wire/index.ts'

export interface ProjectMember {
  account: string
  /** The identity this account controls, if it registered one. */
  identity?: string
  roles: RoleName[]
}

export interface ProjectGrant {
  identity: string
  kind: 'user' | 'node'
  peerId: string
  keyVersion: number
  /** The node measurement checked when it was granted; the zero hash for users. */
  measurement: string
}

export interface ProjectDataset {
  datasetId: string
  root: string
  chunks: number
  manifestShardId: string
}

export interface ProjectOverview {
  projectId: string
  name: string
  owner: string
  retentionSeconds: number
  keyVersion: number
  members: ProjectMember[]
  /** Live grants (not revoked), any key version. */
  grants: ProjectGrant[]
  /** Nodes whose grant was revoked: they may still hold the project's shards. */
  formerNodes: StorageNode[]
  datasets: ProjectDataset[]
}

const ROLE_NAMES = new Map(Object.entries(ROLES).map(([name, hash]) => [hash, name as RoleName]))

export async function projectOverview(ledger: Ledger, projectId: string): Promise<ProjectOverview> {
  const identities = await registeredIdentities(ledger)
  const { entries } = await projectTimeline(ledger, projectId, { limit: Number.MAX_SAFE_INTEGER })
  return overviewOfEvents(projectId, entries, identities)
}

/** The overview from the project's timeline entries (oldest first) and the registered identities. */
export function overviewOfEvents(
  projectId: string,
  entries: readonly TimelineEntry[],
  identities: readonly RegisteredIdentity[],
): ProjectOverview {
  const byId = new Map(identities.map(i => [i.identityId, i]))
  const byAccount = new Map(identities.map(i => [i.controller.toLowerCase(), i.name]))
  const overview: ProjectOverview = {
    projectId,
    name: '',
    owner: '',
    retentionSeconds: 0,
    keyVersion: 1,
    members: [],
    grants: [],
    formerNodes: [],
    datasets: [],
  }
  const roles = new Map<string, Set<RoleName>>()
  const grants = new Map<string, ProjectGrant>()
  const former = new Map<string, StorageNode>()
  for (const { kind, args } of entries) {
    const a = args as Record<string, string>
    if (kind === 'ProjectCreated') {
      overview.name = a.name!
      overview.owner = a.owner!
      overview.retentionSeconds = Number(a.retentionSeconds)
      roles.set(a.owner!.toLowerCase(), new Set(['owner']))
    } else if (kind === 'ProjectRetentionChanged') {
      overview.retentionSeconds = Number(a.retentionSeconds)
    } else if (kind === 'ProjectRoleGranted' || kind === 'ProjectRoleRevoked') {
      const account = a.account!.toLowerCase()
      const role = ROLE_NAMES.get(a.role!)
      if (!role) continue
      const held = roles.get(account) ?? new Set()
      if (kind === 'ProjectRoleGranted') held.add(role)
      else held.delete(role)
      roles.set(account, held)
    } else if (kind === 'ProjectKeyRotated') {
      overview.keyVersion = Number(a.keyVersion)
    } else if (kind === 'ProjectKeyGranted') {
      const who = byId.get(a.grantee!)
      grants.set(a.grantee!, {
        identity: who?.name ?? a.grantee!,
        kind: who?.kind ?? 'user',
        peerId: who?.peerId ?? '',
        keyVersion: Number(a.keyVersion),
        measurement: a.measurement!,
      })
      former.delete(a.grantee!)
    } else if (kind === 'ProjectKeyRevoked') {
      const revoked = grants.get(a.grantee!)
      if (revoked?.kind === 'node' && revoked.peerId !== '')
        former.set(a.grantee!, { identity: revoked.identity, peerId: revoked.peerId })
      grants.delete(a.grantee!)
    } else if (kind === 'ProjectDatasetCommitted') {
      overview.datasets.push({
        datasetId: a.datasetId!,
        root: a.root!,
        chunks: Number(a.chunks),
        manifestShardId: a.manifest!.slice(2),
      })
    } else if (kind === 'ProjectDatasetResealed') {
      const dataset = overview.datasets.find(d => d.datasetId === a.datasetId)
      if (dataset) dataset.manifestShardId = a.manifest!.slice(2)
    }
  }
  for (const [account, held] of roles)
    if (held.size > 0)
      overview.members.push({ account, identity: byAccount.get(account), roles: [...held] })
  overview.grants = [...grants.values()]
  overview.formerNodes = [...former.values()]
  return overview
}

/**
 * Every node that holds or held the project's shards: granted any key version, or revoked
 * since, with `also` (once each). What must be gone from all nodes (an erased dataset's
 * manifests, a re-sealed dataset's old manifest) is deleted from each of these, not only
 * from today's nodes: a revoked node still holds the old key versions.
 */
export function everyProjectNode(
  overview: Pick<ProjectOverview, 'grants' | 'formerNodes'>,
  also: readonly StorageNode[] = [],
): StorageNode[] {
  const nodes = [...also, ...grantedNodes(overview.grants), ...overview.formerNodes]
  return [...new Map(nodes.map(n => [n.identity, n])).values()]
}

/** The nodes that hold the project's current key: where its data goes and is read from. */
export function projectNodes(overview: ProjectOverview): StorageNode[] {
  return grantedNodes(overview.grants.filter(g => g.keyVersion === overview.keyVersion))
}

/** The nodes among `grants` whose peer id is known, as storage targets. */
function grantedNodes(grants: readonly ProjectGrant[]): StorageNode[] {
  return grants
    .filter(g => g.kind === 'node' && g.peerId !== '')
    .map(g => ({ identity: g.identity, peerId: g.peerId }))
}
