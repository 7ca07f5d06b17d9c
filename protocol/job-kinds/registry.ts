/**
 * Every job kind Sealnet runs, in one list: the CLI's `--kind` choices, the dashboard's
 * names, the spec schema and the chain's kind ids all come from here. A new kind is a file
 * beside this one, an entry below (and in JobSpecSchema), its computation in node/job-kinds/,
 * its result check in client/sdk/jobs/ (RESULT_CHECKS in await-result.ts; both maps are
 * typed to cover every name, so a missing side fails to compile) and its verifier
 * registered on the router (JobVerifierRouter.registerVerifier).
 * @module
 */
import * as z from 'zod'
import { SealnetError } from '../sealnet-error.ts'
import type { JobKind } from './job-kind.ts'
import { linearKind } from './linear.ts'
import { mlpKind } from './mlp.ts'
import { onnxKind } from './onnx.ts'
import { statsKind } from './stats.ts'
import { sumKind } from './sum.ts'
import { trainLinearKind, trainLogisticKind } from './train.ts'

export const JOB_KIND_LIST = [
  statsKind,
  linearKind,
  mlpKind,
  sumKind,
  onnxKind,
  trainLinearKind,
  trainLogisticKind,
] as const

type Kinds = typeof JOB_KIND_LIST
export type JobKindName = Kinds[number]['name']
/** The kinds whose results are attested by the node that ran them, not proven. */
export type AttestedJobKindName = Extract<Kinds[number], { check: { by: 'attestation' } }>['name']
/** The kinds whose results are proven by a circuit. */
export type ProvenJobKindName = Extract<Kinds[number], { check: { by: 'proof' } }>['name']

export const JOB_KIND_NAMES = JOB_KIND_LIST.map(k => k.name) as JobKindName[]

/** Each kind's on-chain id, by name. */
export const JOB_KINDS = Object.fromEntries(JOB_KIND_LIST.map(k => [k.name, k.id])) as {
  readonly [K in JobKindName]: string
}

export const JobSpecSchema = z.discriminatedUnion('kind', [
  statsKind.specSchema,
  linearKind.specSchema,
  mlpKind.specSchema,
  sumKind.specSchema,
  onnxKind.specSchema,
  trainLinearKind.specSchema,
  trainLogisticKind.specSchema,
])
export type JobSpec = z.infer<typeof JobSpecSchema>
// the union above lists exactly the kinds of JOB_KIND_LIST: this fails to compile otherwise
const specCoversEveryKind: [JobSpec['kind']] extends [JobKindName]
  ? [JobKindName] extends [JobSpec['kind']]
    ? true
    : never
  : never = true
void specCoversEveryKind

export class UnknownJobKindError extends SealnetError {
  readonly code = 'unknown-job-kind'
  constructor(kind: string) {
    super(`unknown job kind ${kind}; Sealnet runs ${JOB_KIND_NAMES.join(', ')}`)
  }
}

/** The kind called `name`; UnknownJobKindError if there is none. */
export function jobKindNamed(name: string): Kinds[number] {
  const kind = JOB_KIND_LIST.find(k => k.name === name)
  if (!kind) throw new UnknownJobKindError(name)
  return kind
}

/** The kind with on-chain id `id`, or undefined (a kind registered by a newer release). */
export function jobKindOfId(id: string): Kinds[number] | undefined {
  return JOB_KIND_LIST.find(k => k.id === id.toLowerCase())
}

export type { JobKind }
