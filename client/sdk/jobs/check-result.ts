/**
 * Check a delivered result against the chain: result hash, dataset root, every proof
 * re-verified and every chunk's opening matched, or for a sum the ciphertexts re-added.
 * @module
 */

import {
  decryptPaillier,
  type PaillierPrivateKey,
  paillierKeyId,
  paillierPublicKey,
} from '../../../protocol/crypto/index.ts'
import {
  LinearJobResultSchema,
  StatsJobResultSchema,
  SumJobResultSchema,
} from '../../../protocol/job-kinds/index.ts'
import { type OnChainJob, projectIdOf } from '../../../protocol/ledger/index.ts'
import {
  type ChunkProof,
  datasetRoot,
  type LinearOpening,
  linearOf,
  linearResultHash,
  openLinear,
  openStats,
  ResultOpeningError,
  statsOf,
  statsResultHash,
  verifyProof,
} from '../../../protocol/proof/index.ts'
import {
  addPaillierDatasets,
  type PaillierDataset,
  sumInputCommitment,
  sumResultHash,
} from '../../../protocol/wire/index.ts'
import type { awaitDeliveredResult, VerifiedJobResult } from './await-result.ts'
import { JobResultMismatchError } from './errors.ts'
import type { JobExpectation } from './prepare-job.ts'

export interface VerifiedStatsResult {
  kind: 'stats'
  jobId: string
  node: string
  count: bigint
  sum: bigint
  sumOfSquares: bigint
  threshold: bigint
  proofs: ChunkProof[]
  /** Milliseconds the node spent in each phase. */
  phases: Record<string, number>
}

/** A model job's result (`linear` or `mlp`): both open the same way. */
export interface VerifiedModelResult {
  kind: 'linear' | 'mlp'
  jobId: string
  node: string
  /** The model's commitment, as every chunk proof states it. */
  modelCommitment: bigint
  /** One output per record, in dataset order. */
  outputs: bigint[]
  proofs: ChunkProof[]
  phases: Record<string, number>
}

export interface VerifiedSumResult {
  kind: 'sum'
  jobId: string
  node: string
  /** The Paillier modulus the total is encrypted under. */
  n: bigint
  /** The encrypted total: open it with openSumTotal. */
  total: bigint
  /** How many values were added. */
  count: number
  /** The project and the datasets added, as the node names them (recheckSumResult holds them to the chain). */
  project: string
  datasets: string[]
  phases: Record<string, number>
}

async function requireValidProofs(jobId: string, proofs: readonly ChunkProof[]): Promise<void> {
  for (const proof of proofs)
    if (!(await verifyProof(proof)))
      throw new JobResultMismatchError(jobId, 'a chunk proof does not verify')
}

/** Opens each chunk's result commitment, or says which one the node got wrong. */
async function checkedOpenings<T>(jobId: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open()
  } catch (err) {
    if (err instanceof ResultOpeningError)
      throw new JobResultMismatchError(
        jobId,
        `the delivered numbers differ from what the proofs committed to (${err.message})`,
      )
    throw err
  }
}

/**
 * A delivered stats result checked: hash as recorded (over the proofs' result
 * commitments), each chunk's numbers as committed, the totals, dataset root, proofs.
 */
export async function checkStatsResult(
  delivered: Awaited<ReturnType<typeof awaitDeliveredResult>>,
): Promise<VerifiedStatsResult> {
  const { job, opened: raw } = delivered
  const result = StatsJobResultSchema.parse(raw)
  const { jobId } = result
  const proofs = result.proofs as ChunkProof[]
  const threshold = BigInt(result.threshold)
  if (statsResultHash(proofs) !== job.resultHash)
    throw new JobResultMismatchError(jobId, 'its hash is not the one recorded on chain')
  const openings = result.chunks.map(c => ({
    count: BigInt(c.count),
    sum: BigInt(c.sum),
    sumOfSquares: BigInt(c.sumOfSquares),
    salt: BigInt(c.salt),
  }))
  const stats = await checkedOpenings(jobId, () => openStats(proofs, openings, threshold))
  if (
    stats.count !== BigInt(result.count) ||
    stats.sum !== BigInt(result.sum) ||
    stats.sumOfSquares !== BigInt(result.sumOfSquares)
  )
    throw new JobResultMismatchError(jobId, 'the stated totals differ from the chunks proven')
  if (datasetRoot(proofs.map(p => statsOf(p).commitment)) !== job.inputCommitment)
    throw new JobResultMismatchError(jobId, 'the proven chunks are not the committed dataset')
  await requireValidProofs(jobId, proofs)
  return {
    kind: 'stats',
    jobId,
    node: delivered.node,
    ...stats,
    threshold,
    proofs,
    phases: delivered.phases,
  }
}

/**
 * The check of a delivered model result (`linear` or `mlp`): proofs of the kind's own
 * circuit, model as proven, each chunk's outputs as committed, hash as recorded, root, proofs.
 */
export const checkModelResult =
  (kind: 'linear' | 'mlp') =>
  async (
    delivered: Awaited<ReturnType<typeof awaitDeliveredResult>>,
  ): Promise<VerifiedModelResult> => {
    const { job } = delivered
    const result = LinearJobResultSchema.parse(delivered.opened)
    const { jobId } = result
    const proofs = result.proofs as ChunkProof[]
    if (proofs.some(p => p.circuit !== kind))
      throw new JobResultMismatchError(jobId, `its proofs are not of the ${kind} circuit`)
    const parts = proofs.map(linearOf)
    const model = BigInt(result.modelCommitment)
    if (parts.some(p => p.modelCommitment !== model))
      throw new JobResultMismatchError(jobId, 'the chunks were proven with another model')
    if (linearResultHash(proofs) !== job.resultHash)
      throw new JobResultMismatchError(jobId, 'its hash is not the one recorded on chain')
    const stated = result.outputs.map(BigInt)
    const proven = parts.reduce((n, p) => n + p.length, 0)
    if (result.salts.length !== proofs.length || stated.length !== proven)
      throw new JobResultMismatchError(jobId, 'the stated outputs do not fit the chunks proven')
    const openings: LinearOpening[] = []
    let next = 0
    for (const [i, p] of parts.entries()) {
      openings.push({
        outputs: stated.slice(next, next + p.length),
        salt: BigInt(result.salts[i]!),
      })
      next += p.length
    }
    const outputs = await checkedOpenings(jobId, () => openLinear(proofs, openings))
    if (datasetRoot(parts.map(p => p.dataCommitment)) !== job.inputCommitment)
      throw new JobResultMismatchError(jobId, 'the proven chunks are not the committed dataset')
    await requireValidProofs(jobId, proofs)
    return {
      kind,
      jobId,
      node: delivered.node,
      modelCommitment: model,
      outputs,
      proofs,
      phases: delivered.phases,
    }
  }

/**
 * A delivered sum checked against the chain: its hash as recorded. The total itself has no
 * proof; recheckSumResult re-adds the ciphertexts to confirm it.
 */
export function checkSumResult(
  delivered: Awaited<ReturnType<typeof awaitDeliveredResult>>,
): VerifiedSumResult {
  const opened = SumJobResultSchema.parse(delivered.opened)
  if (sumResultHash(opened.total, opened.count) !== delivered.job.resultHash)
    throw new JobResultMismatchError(opened.jobId, 'its hash is not the one recorded on chain')
  return {
    kind: 'sum',
    jobId: opened.jobId,
    node: delivered.node,
    n: BigInt(`0x${opened.n}`),
    total: BigInt(`0x${opened.total}`),
    count: opened.count,
    project: opened.project,
    datasets: opened.datasets,
    phases: delivered.phases,
  }
}

/**
 * Re-executes a sum over its datasets (read with readPaillierDataset, by any member): the
 * job's input commitment must be theirs and their ciphertexts must add up to the total the
 * node delivered. Throws JobResultMismatchError naming which does not hold.
 */
export function recheckSumResult(
  result: VerifiedSumResult,
  job: Pick<OnChainJob, 'inputCommitment' | 'projectId'>,
  datasets: readonly PaillierDataset[],
): void {
  if (projectIdOf(result.project) !== job.projectId)
    throw new JobResultMismatchError(result.jobId, `the job is not of project ${result.project}`)
  if (sumInputCommitment(datasets.map(d => d.manifest.root)) !== job.inputCommitment)
    throw new JobResultMismatchError(result.jobId, 'these are not the datasets the job named')
  const recomputed = addPaillierDatasets(datasets)
  if (BigInt(`0x${recomputed.total}`) !== result.total || recomputed.count !== result.count)
    throw new JobResultMismatchError(
      result.jobId,
      `${result.node} delivered a total the datasets do not add up to`,
    )
}

/** Opens a sum's total with the Paillier private key it was encrypted for. */
export function openSumTotal(privateKey: PaillierPrivateKey, result: VerifiedSumResult): bigint {
  if (privateKey.publicKey.n !== result.n)
    throw new JobResultMismatchError(
      result.jobId,
      `its total is encrypted under Paillier key ${paillierKeyId(paillierPublicKey(result.n))}, not ${paillierKeyId(privateKey.publicKey)}`,
    )
  return decryptPaillier(privateKey, result.total)
}

/**
 * Holds a checked result to what its submitter asked for (JobExpectation): a node that ran
 * another threshold, model or set of datasets than the spec gets JobResultMismatchError,
 * even though its proofs and hash are consistent with what it ran.
 */
export function requireExpected(result: VerifiedJobResult, expected: JobExpectation): void {
  const mismatch = (what: string) => new JobResultMismatchError(result.jobId, what)
  if (result.kind !== expected.kind)
    throw mismatch(`it is a ${result.kind} job, not ${expected.kind}`)
  if (
    result.kind === 'stats' &&
    expected.kind === 'stats' &&
    result.threshold !== expected.threshold
  )
    throw mismatch(`the node ran threshold ${result.threshold}, not ${expected.threshold}`)
  if (
    (result.kind === 'linear' || result.kind === 'mlp') &&
    (expected.kind === 'linear' || expected.kind === 'mlp') &&
    result.modelCommitment !== expected.modelCommitment
  )
    throw mismatch('the node ran another model than the one submitted')
  if (
    result.kind === 'sum' &&
    expected.kind === 'sum' &&
    result.datasets.join('\0') !== expected.datasets.join('\0')
  )
    throw mismatch(
      `the node added ${result.datasets.join(', ')}, not ${expected.datasets.join(', ')}`,
    )
  if (result.kind === 'onnx' && expected.kind === 'onnx') {
    if (result.model !== expected.model)
      throw mismatch('the node ran another model than the one submitted')
    if (result.inputs.join('\0') !== expected.inputs.join('\0'))
      throw mismatch(
        `the node fed the model ${result.inputs.join(', ')}, not ${expected.inputs.join(', ')}`,
      )
  }
  if (
    (result.kind === 'train-linear' || result.kind === 'train-logistic') &&
    (expected.kind === 'train-linear' || expected.kind === 'train-logistic') &&
    (result.features.join('\0') !== expected.features.join('\0') ||
      result.target !== expected.target)
  )
    throw mismatch(
      `the node fitted ${result.target} on ${result.features.join(', ')}, not ${expected.target} on ${expected.features.join(', ')}`,
    )
}
