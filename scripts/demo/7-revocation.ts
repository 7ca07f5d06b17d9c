/** The demo, section 7: Bob leaves the team: his access is revoked, the key rotates, old data is re-sealed. */

import { join } from 'node:path'
import { id } from 'ethers'
import { projectOverview, rekeyProject, revokeAccess } from '../../client/sdk/index.ts'
import { unwrapProjectKey } from '../../protocol/crypto/index.ts'
import { JOB_KINDS } from '../../protocol/job-kinds/index.ts'
import { refused, section, step } from './progress.ts'
import type { BeforeSection7 } from './stages.ts'

export type RevocationStage = Awaited<ReturnType<typeof revokeTeammate>>

export async function revokeTeammate(story: BeforeSection7) {
  const {
    alice,
    aliceClient,
    aliceLedger,
    bobLedger,
    home,
    nodes,
    ownerGrant,
    projectId,
    projectKey,
    spendDataset,
    storage,
  } = story
  section('7. Bob leaves the team: his access is revoked, the key rotates, old data is re-sealed')
  const revocation = await step(
    'alice revokes his role and grant on chain, rotates the project key, re-attests node-1..3 and grants them version 2',
    async () =>
      revokeAccess({
        client: aliceClient,
        ledger: aliceLedger,
        project: await projectOverview(aliceLedger, projectId),
        me: alice,
        ownKey: ownerGrant,
        revoke: 'bob@acme.example',
      }),
    r =>
      `key version ${r.keyVersion}; re-granted to ${r.nodes.join(', ')}${r.unreached.map(u => `; NOT ${u.identity}: ${u.error}`).join('')}`,
  )
  await step(
    'each node now holds version 2 for new data, and keeps version 1 for the data sealed before',
    async () => {
      for (const node of nodes.slice(0, 3)) {
        const latest = await node.vault.projectKey('acme-churn')
        const old = await node.vault.projectKey('acme-churn', 1)
        if (latest.version !== revocation.keyVersion || old.version !== 1)
          throw new Error('versions')
      }
      return revocation.keyVersion
    },
    v => `versions 1 and ${v}`,
  )
  await refused('bob can no longer submit a job: the chain refuses him', 'LedgerRevertError', () =>
    bobLedger.submitJob(
      id('job: after revocation'),
      projectId,
      JOB_KINDS.stats,
      id('spec'),
      spendDataset.root,
    ),
  )
  const version2 = unwrapProjectKey(revocation.own, alice.privateKey)
  await step(
    'alice re-seals the datasets under version 2 (rekey): new chunks placed, the chain pointed at the new manifests, then the version-1 shards deleted',
    async () =>
      rekeyProject({
        client: aliceClient,
        ledger: aliceLedger,
        project: await projectOverview(aliceLedger, projectId),
        datasets: ['customers.csv#spend', 'customers.csv#features'],
        keyFor: async version => (version === 1 ? projectKey : version2),
        storage,
        journal: join(home, 'rekey.json'),
      }),
    done =>
      done
        .map(d => `${d.dataset}: ${d.resealed} chunks re-sealed, ${d.deleted} old copies deleted`)
        .join('; '),
  )
  return { version2 }
}
