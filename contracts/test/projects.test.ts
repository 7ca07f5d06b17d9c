import { id, ZeroHash } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  accessBatchRoot,
  identityIdOf,
  type Ledger,
  projectIdOf,
  projectTimeline,
  ROLES,
} from '../../protocol/ledger/index.ts'
import { decoded, type Fixture, refusedWith, startFixture } from '../../test/ledger-fixture.ts'

const MEASUREMENT = id('sealnet-node 0.1.0 config abc')
const HASH = 'ab'.repeat(32)

describe('SealnetProjects', () => {
  let f: Fixture
  let project: string
  beforeAll(async () => {
    f = await startFixture()
    const { alice, bob, carol, node1, node2 } = f.accounts
    for (const user of [alice, bob, carol]) await user.ledger.registerIdentity('user', user.record)
    await node1.ledger.registerIdentity('node', node1.record, 'peer-1')
    await node2.ledger.registerIdentity('node', node2.record, 'peer-2')
    project = await alice.ledger.createProject('acme-churn', 90 * 86400)
    await alice.ledger.grantRole(project, 'admin', bob.address)
  })
  afterAll(() => f.chain.close())

  describe('createProject', () => {
    it('makes the creator owner, who passes every role check', async () => {
      const { alice } = f.accounts
      for (const role of ['owner', 'admin', 'member', 'auditor'] as const)
        expect(await alice.ledger.hasRole(project, role, alice.address)).toBe(true)
      expect(await alice.ledger.keyVersion(project)).toBe(1)
    })

    it('refuses a taken name with ProjectsAlreadyExists', async () => {
      await refusedWith(
        f.accounts.carol.ledger.createProject('acme-churn', 0),
        'ProjectsAlreadyExists',
      )
    })

    it("refuses a name holding a control character: `acme-churn\\0x` can't shadow `acme-churn` in a node's keys", async () => {
      const { carol } = f.accounts
      // the SDK refuses before sending
      await expect(carol.ledger.createProject('acme-churn\0x', 0)).rejects.toMatchObject({
        name: 'InvalidNameError',
      })
      // and the contract, for a caller that goes around the SDK
      for (const name of ['acme-churn\0x', 'acme\nchurn', 'acme\x7f', ''])
        expect(
          await refusedWith(
            decoded(carol.ledger.projects.getFunction('createProject')(name, 0)),
            'ProjectsInvalidName',
          ),
        ).toEqual([name])
      await refusedWith(
        decoded(carol.ledger.projects.getFunction('createProject')('x'.repeat(257), 0)),
        'ProjectsInvalidName',
      )
      await carol.ledger.projects.getFunction('createProject')('x'.repeat(256), 0)
    })

    it('refuses calls on an unknown project with ProjectsUnknown', async () => {
      await refusedWith(
        f.accounts.alice.ledger.rotateProjectKey(projectIdOf('nope')),
        'ProjectsUnknown',
      )
    })
  })

  describe('roles', () => {
    it('lets an admin grant member and auditor, and names the missing role otherwise', async () => {
      const { bob, carol, dave } = f.accounts
      await bob.ledger.grantRole(project, 'member', carol.address)
      expect(await bob.ledger.hasRole(project, 'member', carol.address)).toBe(true)
      const args = await refusedWith(
        bob.ledger.grantRole(project, 'admin', dave.address),
        'ProjectsMissingRole',
      )
      expect(args).toEqual([project, bob.address, ROLES.owner])
      const memberArgs = await refusedWith(
        carol.ledger.grantRole(project, 'auditor', dave.address),
        'ProjectsMissingRole',
      )
      expect(memberArgs[2]).toBe(ROLES.admin)
    })

    it('refuses a role that does not exist with ProjectsInvalidRole', async () => {
      await refusedWith(
        decoded(
          f.accounts.alice.ledger.projects.grantRole!(project, id('ROOT'), f.accounts.dave.address),
        ),
        'ProjectsInvalidRole',
      )
    })

    it('revokes roles', async () => {
      const { alice, bob, dave } = f.accounts
      await bob.ledger.grantRole(project, 'auditor', dave.address)
      await alice.ledger.revokeRole(project, 'auditor', dave.address)
      expect(await alice.ledger.hasRole(project, 'auditor', dave.address)).toBe(false)
    })

    it.each([
      ['rotateProjectKey', (l: Ledger, p: string) => l.rotateProjectKey(p)],
      ['revokeGrant', (l: Ledger, p: string) => l.revokeGrant(p, 'bob')],
      ['allowMeasurement', (l: Ledger, p: string) => l.allowMeasurement(p, MEASUREMENT)],
      ['disallowMeasurement', (l: Ledger, p: string) => l.disallowMeasurement(p, MEASUREMENT)],
      ['revokeRole', (l: Ledger, p: string) => l.revokeRole(p, 'member', f.accounts.carol.address)],
    ])('refuses %s by a member, naming ADMIN as the missing role', async (_, call) => {
      const { carol } = f.accounts
      const args = await refusedWith(call(carol.ledger, project), 'ProjectsMissingRole')
      expect(args).toEqual([project, carol.address, ROLES.admin])
    })

    it('lets only the owner change retention', async () => {
      const { alice, bob } = f.accounts
      await refusedWith(bob.ledger.setRetention(project, 1), 'ProjectsMissingRole')
      await alice.ledger.setRetention(project, 30 * 86400)
    })
  })

  describe('grants', () => {
    it('records a grant to a user by its wrapped-key hash, never the key', async () => {
      const { bob } = f.accounts
      await bob.ledger.recordGrant(project, 'carol', 1, HASH)
      expect(await bob.ledger.grantOf(project, 'carol')).toEqual({
        keyVersion: 1,
        wrappedKeyHash: HASH,
      })
    })

    it('refuses a grant by a member, to an unknown identity, or for an old key version', async () => {
      const { bob, carol } = f.accounts
      await refusedWith(carol.ledger.recordGrant(project, 'bob', 1, HASH), 'ProjectsMissingRole')
      await refusedWith(
        bob.ledger.recordGrant(project, 'mallory', 1, HASH),
        'ProjectsUnknownIdentity',
      )
      await refusedWith(bob.ledger.recordGrant(project, 'bob', 7, HASH), 'ProjectsWrongKeyVersion')
    })

    it('releases a key to a node only with an allowlisted measurement', async () => {
      const { bob } = f.accounts
      const args = await refusedWith(
        bob.ledger.recordGrant(project, 'node1', 1, HASH, MEASUREMENT),
        'ProjectsMeasurementNotAllowed',
      )
      expect(args[1]).toBe(MEASUREMENT)
      await bob.ledger.allowMeasurement(project, MEASUREMENT)
      await bob.ledger.recordGrant(project, 'node1', 1, HASH, MEASUREMENT)
      expect((await bob.ledger.grantOf(project, 'node1')).keyVersion).toBe(1)
      await bob.ledger.disallowMeasurement(project, MEASUREMENT)
      await refusedWith(
        bob.ledger.recordGrant(project, 'node2', 1, HASH, MEASUREMENT),
        'ProjectsMeasurementNotAllowed',
      )
      await refusedWith(
        bob.ledger.recordGrant(project, 'node2', 1, HASH, ZeroHash),
        'ProjectsMeasurementNotAllowed',
      )
    })

    it('rotates the key version, after which old-version grants are refused; revocation clears a grant', async () => {
      const other = await f.accounts.alice.ledger.createProject('rotating', 0)
      const { alice } = f.accounts
      await alice.ledger.recordGrant(other, 'carol', 1, HASH)
      await alice.ledger.revokeGrant(other, 'carol')
      expect((await alice.ledger.grantOf(other, 'carol')).keyVersion).toBe(0)
      await alice.ledger.rotateProjectKey(other)
      expect(await alice.ledger.keyVersion(other)).toBe(2)
      await refusedWith(alice.ledger.recordGrant(other, 'bob', 1, HASH), 'ProjectsWrongKeyVersion')
      await alice.ledger.recordGrant(other, 'bob', 2, HASH)
    })
  })

  describe('commitDataset', () => {
    it('records a dataset root and its manifest shard once, for members only', async () => {
      const { carol, dave } = f.accounts
      const manifest = 'ab'.repeat(32)
      await carol.ledger.commitDataset(project, id('customers.csv'), id('root'), 3, manifest)
      expect(await dave.ledger.datasetRoot(project, id('customers.csv'))).toBe(id('root'))
      expect(await dave.ledger.dataset(project, id('customers.csv'))).toEqual({
        root: id('root'),
        manifestShardId: manifest,
      })
      expect(await dave.ledger.datasetRoot(project, id('other.csv'))).toBeUndefined()
      expect(await dave.ledger.dataset(project, id('other.csv'))).toBeUndefined()
      await refusedWith(
        carol.ledger.commitDataset(project, id('customers.csv'), id('another root'), 3, manifest),
        'ProjectsDatasetExists',
      )
      await refusedWith(
        dave.ledger.commitDataset(project, id('x'), id('root'), 1, manifest),
        'ProjectsMissingRole',
      )
    })

    it('points a dataset at a re-sealed manifest, for admins only, keeping its root', async () => {
      const { alice, carol } = f.accounts
      const resealed = 'cd'.repeat(32)
      const customers = id('customers.csv')
      await refusedWith(
        carol.ledger.resealDataset(project, customers, resealed),
        'ProjectsMissingRole',
      )
      await refusedWith(
        alice.ledger.resealDataset(project, id('nothing.csv'), resealed),
        'ProjectsUnknownDataset',
      )
      await refusedWith(
        alice.ledger.resealDataset(project, customers, '00'.repeat(32)),
        'ProjectsEmptyManifest',
      )
      await alice.ledger.resealDataset(project, customers, resealed)
      expect(await carol.ledger.dataset(project, customers)).toEqual({
        root: id('root'),
        manifestShardId: resealed,
      })
      const { entries } = await projectTimeline(carol.ledger, project, {
        kinds: ['ProjectDatasetResealed'],
      })
      expect(entries.map(e => e.args)).toEqual([
        expect.objectContaining({ datasetId: customers, manifest: `0x${resealed}` }),
      ])
    })
  })

  describe('recordAccessBatch', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({
      objectId: id(`object-${i}`),
      accessor: identityIdOf('carol'),
      action: i % 3,
      at: 1_700_000_000 + i,
    }))

    it('records 100 accesses in one transaction with their Merkle root in the event', async () => {
      const { node1 } = f.accounts
      const root = await node1.ledger.recordAccessBatch(project, 'node1', records)
      expect(root).toBe(accessBatchRoot(records))
      const [event] = await node1.ledger.projects.queryFilter(
        node1.ledger.projects.filters.ProjectAccessBatchRecorded!(project),
      )
      const logged = (event as unknown as { args: { root: string; records: unknown[] } }).args
      expect(logged.root).toBe(root)
      expect(logged.records).toHaveLength(100)
    })

    it('refuses a node without a grant, an account that does not control the node, and an empty batch', async () => {
      const { node1, node2, carol } = f.accounts
      await refusedWith(
        node2.ledger.recordAccessBatch(project, 'node2', records.slice(0, 1)),
        'ProjectsNodeNotAuthorized',
      )
      await refusedWith(
        carol.ledger.recordAccessBatch(project, 'node1', records.slice(0, 1)),
        'ProjectsNodeNotAuthorized',
      )
      await refusedWith(
        decoded(
          node1.ledger.projects.recordAccessBatch!(project, identityIdOf('node1'), ZeroHash, []),
        ),
        'ProjectsEmptyBatch',
      )
    })

    it('lets a node whose grant was revoked record its deletions, and nothing else', async () => {
      const { alice, node2 } = f.accounts
      const other = await alice.ledger.createProject('revoked node', 0)
      await alice.ledger.allowMeasurement(other, MEASUREMENT)
      await alice.ledger.recordGrant(other, 'node2', 1, HASH, MEASUREMENT)
      await node2.ledger.recordAccessBatch(other, 'node2', records.slice(0, 3))
      await alice.ledger.revokeGrant(other, 'node2')
      // what admins make it delete after its revocation still reaches the log
      const deletions = records.filter(r => r.action === 2).slice(0, 3)
      expect(await node2.ledger.recordAccessBatch(other, 'node2', deletions)).toBe(
        accessBatchRoot(deletions),
      )
      const args = await refusedWith(
        node2.ledger.recordAccessBatch(other, 'node2', [...deletions, records[0]!]),
        'ProjectsRevokedNodeRecordsOnlyDeletions',
      )
      expect(Number(args[2])).toBe(3)
    })
  })
})
