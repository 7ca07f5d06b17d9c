/**
 * A dataset's current manifest holds its data key: deleting every copy erases the
 * dataset. So a node deletes a shard that the chain names as a dataset's current manifest
 * only once an erase-dataset action for that dataset was executed with its approvals; an
 * admin alone can't erase data around the approvers. Superseded manifests (a re-seal's
 * old ones) and chunks stay deletable by admins, as `project rekey` needs.
 * @module
 */
import { ACTION_KINDS, type Ledger } from '../../protocol/ledger/index.ts'
import { RequestRefusedError } from '../../protocol/wire/index.ts'

export class ManifestGuard {
  readonly #ledger: Ledger
  /** Per project: manifest shard id → the datasets that ever named it, read up to a block. */
  readonly #known = new Map<string, { nextBlock: number; datasets: Map<string, Set<string>> }>()

  constructor(ledger: Ledger) {
    this.#ledger = ledger
  }

  /** Throws an 'unauthorized' refusal if `shardId` is a current manifest not erased by approval. */
  async requireDeletable(projectId: string, shardId: string): Promise<void> {
    for (const datasetId of await this.#datasetsNaming(projectId, shardId)) {
      const current = await this.#ledger.dataset(projectId, datasetId)
      if (current?.manifestShardId !== shardId) continue
      if (await this.#ledger.executedAction(projectId, ACTION_KINDS.eraseDataset, datasetId))
        continue
      throw new RequestRefusedError(
        'unauthorized',
        `shard ${shardId.slice(0, 12)}… is the current manifest of dataset ${datasetId.slice(0, 12)}…: it is deleted only by an executed erasure (sealnet erase propose, approvals, execute)`,
      )
    }
  }

  async #datasetsNaming(projectId: string, shardId: string): Promise<Set<string>> {
    const known = this.#known.get(projectId) ?? { nextBlock: 0, datasets: new Map() }
    const { manifests, toBlock } = await this.#ledger.datasetManifestsSince(
      projectId,
      known.nextBlock,
    )
    for (const { datasetId, manifest } of manifests) {
      const datasets = known.datasets.get(manifest) ?? new Set()
      known.datasets.set(manifest, datasets.add(datasetId))
    }
    known.nextBlock = toBlock + 1
    this.#known.set(projectId, known)
    return known.datasets.get(shardId) ?? new Set()
  }
}
