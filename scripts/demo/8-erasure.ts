/** The demo, section 8: A customer asks to be forgotten: erasure with 2 of 3 approvals, the data key destroyed. */

import type { Signer } from 'ethers'
import {
  approveAction,
  eraseDataset,
  liveDataset,
  projectOverview,
  uploadNumericDataset,
} from '../../client/sdk/index.ts'
import { ACTION_KINDS, datasetIdOf } from '../../protocol/ledger/index.ts'
import { releaseProverThreads } from '../../protocol/proof/index.ts'
import { fetchShard, readDatasetManifest } from '../../protocol/wire/index.ts'
import { refused, section, step } from './progress.ts'
import type { BeforeSection8 } from './stages.ts'

export type ErasureStage = Awaited<ReturnType<typeof eraseCustomer>>

export async function eraseCustomer(story: BeforeSection8) {
  const { accounts, aliceClient, aliceLedger, nodes, projectId, projectKey, storage, version2 } =
    story
  section(
    '8. A customer asks to be forgotten: erasure with 2 of 3 approvals, the data key destroyed',
  )
  const approverLedgers = [7, 8, 9].map(i => aliceLedger.as(accounts[i]!))
  const customerData = await step(
    "alice uploads one customer's records (under key version 2): the chunks sealed with the dataset's own key, kept only in its manifest",
    () =>
      uploadNumericDataset({
        client: aliceClient,
        ledger: aliceLedger,
        projectKey: version2,
        project: 'acme-churn',
        dataset: 'customer-1043',
        values: [120n, 4500n, 3n, 77n],
        chunkSize: 2,
        storage,
      }),
    d => `root ${d.root.slice(0, 12)}…`,
  )
  await step(
    'alice names three approvers (legal, the DPO, the CTO); any two must sign a sensitive action',
    async () => {
      await aliceLedger.setApprovers(
        projectId,
        await Promise.all(approverLedgers.map(l => (l.projects.runner as Signer).getAddress())),
        2,
      )
      return aliceLedger.approversOf(projectId)
    },
    a => `${a.threshold} of ${a.approvers.length}`,
  )
  const erasureId = await step(
    'alice proposes erasing the dataset: recorded on chain, nothing deleted yet',
    () =>
      aliceLedger.proposeAction(projectId, ACTION_KINDS.eraseDataset, datasetIdOf('customer-1043')),
    a => `action ${a.slice(0, 12)}…`,
  )
  const erasureApprovals = await step(
    'legal and the DPO each sign it off chain (EIP-712) with their own accounts',
    () =>
      Promise.all(
        approverLedgers
          .slice(0, 2)
          .map(l => approveAction(l, l.projects.runner as Signer, erasureId)),
      ),
    a => `${a.length} approvals`,
  )
  // which shards the erasure must remove: the manifest and the chunks it lists
  const customerShards = [
    customerData.manifest.shardId,
    ...(
      await readDatasetManifest({
        keyFor: async () => version2,
        project: 'acme-churn',
        dataset: 'customer-1043',
        manifest: customerData.manifest,
        committedRoot: customerData.root,
        readShard: async (shardId, holders, projectId) =>
          (
            await fetchShard(aliceClient, projectId, shardId, holders)
          ).shard,
      })
    ).chunks.map(c => c.shardId),
  ]
  await step(
    'alice executes it: the chain checks the signatures, every chunk and manifest copy is deleted from the nodes, and with the manifests the data key',
    async () =>
      eraseDataset({
        client: aliceClient,
        ledger: aliceLedger,
        project: await projectOverview(aliceLedger, projectId),
        dataset: 'customer-1043',
        actionId: erasureId,
        approvals: erasureApprovals,
        keyFor: async version => (version === 1 ? projectKey : version2),
        storage,
      }),
    r => `${r.chunksDeleted} chunk and ${r.manifestsDeleted} manifest copies deleted`,
  )
  await step(
    'no node holds any of it any more',
    async () => {
      for (const node of nodes)
        for (const id of customerShards)
          if (await node.store.has(id)) throw new Error(`${node.identity} still holds ${id}`)
      return customerShards.length
    },
    n => `${n} shards checked on ${nodes.length} nodes`,
  )
  await refused(
    'reading it now says it was erased, and by which action',
    'DatasetErasedError',
    () => liveDataset(aliceLedger, { name: 'acme-churn', projectId }, 'customer-1043'),
  )
  for (const node of nodes.slice(0, 3)) await node.accessLog.flush()
  await aliceClient.stop()
  await releaseProverThreads()
  return {}
}
