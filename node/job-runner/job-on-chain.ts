/**
 * Before a node claims a job it checks that the spec it was handed is the job the chain
 * recorded: same project, kind and submitter, keccak256 of the sealed spec equal to the
 * recorded spec hash, and an input commitment that is the datasets the spec names. A
 * forged announcement of a real job id (by anyone who holds the project key) is then
 * ignored, not claimed and failed, and can't stand in for the real one.
 * @module
 */
import { keccak256 } from 'ethers'
import { attestedInputCommitment, JOB_KINDS, type JobSpec } from '../../protocol/job-kinds/index.ts'
import { datasetIdOf, type Ledger, projectIdOf } from '../../protocol/ledger/index.ts'
import { sumInputCommitment } from '../../protocol/wire/index.ts'

/** What makes `spec` (sealed as `sealed`) another job than the chain's, or undefined. */
export async function jobSpecMismatch(
  ledger: Ledger,
  spec: JobSpec,
  sealed: Uint8Array,
): Promise<string | undefined> {
  const job = await ledger.job(spec.jobId)
  if (!job) return 'the chain has no such job'
  const projectId = projectIdOf(spec.project)
  if (job.projectId !== projectId)
    return `the chain's job is of another project than ${spec.project}`
  if (job.kind !== JOB_KINDS[spec.kind]) return `the chain's job is not a ${spec.kind} job`
  if (keccak256(sealed) !== job.specHash)
    return 'the spec is not the one whose hash the chain recorded'
  const submitter = await ledger.identity(spec.submitter)
  if (submitter?.controller.toLowerCase() !== job.submitter.toLowerCase())
    return `the chain's job was not submitted by ${spec.submitter}`
  const datasets = [spec.dataset, ...(spec.kind === 'sum' ? spec.more.map(m => m.dataset) : [])]
  const roots = await Promise.all(datasets.map(d => ledger.datasetRoot(projectId, datasetIdOf(d))))
  if (roots.some(root => root === undefined)) return 'a dataset it names is not committed'
  const input =
    spec.kind === 'sum'
      ? sumInputCommitment(roots as string[])
      : spec.kind === 'onnx'
        ? attestedInputCommitment(roots[0]!, spec.model.sha256)
        : spec.kind === 'train-linear' || spec.kind === 'train-logistic'
          ? attestedInputCommitment(roots[0]!)
          : roots[0]
  if (input !== job.inputCommitment)
    return "the chain's input commitment is not the datasets the spec names"
  return undefined
}
