/** The commitment of the model a model job's spec carries (linear or mlp). */
import { mlpModelCommitment, modelCommitment } from '../proof/index.ts'
import { linearModelOfSpec } from './linear.ts'
import { mlpModelOfSpec } from './mlp.ts'
import type { JobSpec } from './registry.ts'

/**
 * The salted commitment of a model job's model, as its proofs state it and as a
 * deploy-model approval names it.
 */
export function specModelCommitment(
  spec: Extract<JobSpec, { kind: 'linear' | 'mlp' }>,
): Promise<bigint> {
  const salt = BigInt(spec.modelSalt)
  return spec.kind === 'linear'
    ? modelCommitment(linearModelOfSpec(spec.model), salt)
    : mlpModelCommitment(mlpModelOfSpec(spec.model), salt)
}
