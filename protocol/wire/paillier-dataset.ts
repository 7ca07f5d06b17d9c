/**
 * `sum` datasets: columns of Paillier ciphertexts, stored like any dataset (each chunk
 * sealed with the project key, so only the project reads even the ciphertexts) and added
 * by a node that can't open them. What the chain holds for them:
 *
 * - a chunk's commitment is keccak256 of its ciphertexts, the dataset root the Merkle root
 *   of those (as for numeric datasets);
 * - a job's input commitment is the Merkle root of its datasets' roots;
 * - its result hash is keccak256(abi.encode(bytes total, uint256 count)).
 * @module
 */
import { AbiCoder, concat, keccak256 } from 'ethers'
import {
  addPaillier,
  ciphertextToHex,
  type PaillierPublicKey,
  paillierPublicKey,
} from '../crypto/index.ts'
import { merkleRoot } from '../ledger/merkle.ts'
import { datasetRoot } from '../proof/dataset-root.ts'
import { type DatasetManifest, PaillierChunkSchema } from './job-messages.ts'
import {
  DatasetIntegrityError,
  type DatasetReadOptions,
  DatasetShapeError,
  readDatasetChunks,
} from './numeric-dataset.ts'

export interface PaillierDataset {
  manifest: DatasetManifest
  publicKey: PaillierPublicKey
  /** Each chunk's ciphertexts. */
  chunks: bigint[][]
}

/** A chunk's commitment: keccak256 over its fixed-width ciphertexts. */
export function paillierChunkCommitment(ciphertexts: readonly string[]): bigint {
  return BigInt(keccak256(concat(ciphertexts.map(c => `0x${c}`))))
}

/** What a `sum` job over datasets with these roots records as its input. */
export function sumInputCommitment(roots: readonly string[]): string {
  return merkleRoot(roots)
}

/** What a `sum` job records on chain for an encrypted total (hex) of `count` values. */
export function sumResultHash(total: string, count: number): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['bytes', 'uint256'], [`0x${total}`, count]))
}

/**
 * DatasetShapeError unless every manifest holds Paillier ciphertexts, all under the first
 * one's key. The CLI checks it before submitting a sum, the node before adding.
 */
export function checkSumInputs(
  manifests: ReadonlyArray<Pick<DatasetManifest, 'dataset' | 'paillier'>>,
): void {
  const first = manifests[0]!
  for (const m of manifests) {
    if (!m.paillier)
      throw new DatasetShapeError(
        m.dataset,
        'a sum job takes Paillier ciphertexts; it holds plain values',
      )
    if (m.paillier.n !== first.paillier!.n)
      throw new DatasetShapeError(
        m.dataset,
        `its values are encrypted under another Paillier key than ${first.dataset}'s`,
      )
  }
}

/**
 * Fetches and opens a `sum` dataset: chunks of ciphertexts, each checked against its
 * commitment, the commitments against the root. DatasetShapeError if it holds plain
 * values; DatasetIntegrityError if anything does not match.
 */
export async function readPaillierDataset(options: DatasetReadOptions): Promise<PaillierDataset> {
  const { dataset } = options
  const { manifest, chunks } = await readDatasetChunks(options, (opened, index, manifest) => {
    if (!manifest.paillier)
      throw new DatasetShapeError(
        dataset,
        'a sum job takes Paillier ciphertexts; it holds plain values',
      )
    const { ciphertexts } = PaillierChunkSchema.parse(opened)
    if (String(paillierChunkCommitment(ciphertexts)) !== manifest.chunks[index]!.commitment)
      throw new DatasetIntegrityError(dataset, `chunk ${index} differs from its commitment`)
    return ciphertexts.map(c => BigInt(`0x${c}`))
  })
  if (!manifest.paillier)
    throw new DatasetShapeError(
      dataset,
      'a sum job takes Paillier ciphertexts; it holds plain values',
    )
  if (datasetRoot(manifest.chunks.map(c => BigInt(c.commitment))) !== manifest.root)
    throw new DatasetIntegrityError(dataset, 'its chunk commitments do not form its root')
  return { manifest, publicKey: paillierPublicKey(BigInt(`0x${manifest.paillier!.n}`)), chunks }
}

/**
 * The encrypted sum of every value of `datasets`, which must share one public key
 * (DatasetShapeError otherwise). Used by the node that runs a job and by a member who
 * re-checks its result.
 */
export function addPaillierDatasets(datasets: readonly PaillierDataset[]): {
  n: string
  total: string
  count: number
} {
  checkSumInputs(datasets.map(d => d.manifest))
  const publicKey = datasets[0]!.publicKey
  const all = datasets.flatMap(d => d.chunks.flat())
  return {
    n: publicKey.n.toString(16),
    total: ciphertextToHex(publicKey, addPaillier(publicKey, all)),
    count: all.length,
  }
}
