/**
 * What a job's submitter asked for (its threshold, model commitment or datasets), kept in
 * `<home>/jobs/<jobId>.json` (0600) by `job submit`, so that `job result`, a later
 * process, holds the node's result to the submitter's own spec and not to the node's word.
 * @module
 */
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { JobExpectation } from '../../sdk/index.ts'
import { writeFileAtomic } from '../../sdk/index.ts'

const file = (home: string, jobId: string) => join(home, 'jobs', `${jobId.toLowerCase()}.json`)

export async function saveJobExpectation(
  home: string,
  jobId: string,
  expected: JobExpectation,
): Promise<void> {
  await mkdir(join(home, 'jobs'), { recursive: true, mode: 0o700 })
  const json = JSON.stringify(expected, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)
  await writeFileAtomic(file(home, jobId), `${json}\n`)
}

/** The expectation `job submit` saved on this machine, or undefined (submitted elsewhere). */
export async function readJobExpectation(
  home: string,
  jobId: string,
): Promise<JobExpectation | undefined> {
  const text = await readFile(file(home, jobId), 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  const saved = JSON.parse(text) as Record<string, unknown>
  if (saved.kind === 'stats') return { kind: 'stats', threshold: BigInt(String(saved.threshold)) }
  if (saved.kind === 'linear' || saved.kind === 'mlp')
    return { kind: saved.kind, modelCommitment: BigInt(String(saved.modelCommitment)) }
  if (saved.kind === 'onnx')
    return { kind: 'onnx', model: String(saved.model), inputs: saved.inputs as string[] }
  if (saved.kind === 'train-linear' || saved.kind === 'train-logistic')
    return {
      kind: saved.kind,
      features: saved.features as string[],
      target: String(saved.target),
    }
  return { kind: 'sum', datasets: saved.datasets as string[] }
}
