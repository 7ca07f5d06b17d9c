/**
 * `mlp`: y = W2·ReLU(W1·x + b1) + b2 for every record (one hidden layer of at most
 * MLP_HIDDEN units), the model sealed in the spec, proven per chunk.
 */
import { id } from 'ethers'
import * as z from 'zod'
import type { MlpModel } from '../proof/mlp-proof.ts'
import { DECIMAL, jobSpecBase, SIGNED_DECIMAL } from '../wire/job-messages.ts'
import type { JobKind } from './job-kind.ts'
import { LinearJobResultSchema } from './linear.ts'

/** The same opening as linear's: an output per record, a salt per chunk, the proofs. */
export const MlpJobResultSchema = LinearJobResultSchema
export type MlpJobResult = z.infer<typeof MlpJobResultSchema>

export const mlpKind = {
  name: 'mlp',
  id: id('mlp'),
  summary:
    'a small neural network (dense, ReLU, dense) for every record, the --model sealed in the spec (proven)',
  check: { by: 'proof', circuit: 'mlp' },
  input: 'numeric-records',
  specSchema: z.strictObject({
    ...jobSpecBase,
    kind: z.literal('mlp'),
    model: z.strictObject({
      hidden: z.strictObject({
        weights: z.array(z.array(SIGNED_DECIMAL).min(1).max(64)).min(1).max(64),
        biases: z.array(SIGNED_DECIMAL).min(1).max(64),
      }),
      output: z.strictObject({
        weights: z.array(SIGNED_DECIMAL).min(1).max(64),
        bias: SIGNED_DECIMAL,
      }),
    }),
    modelSalt: DECIMAL,
  }),
  resultSchema: MlpJobResultSchema,
} as const satisfies JobKind<'mlp'>

type MlpSpecModel = z.infer<typeof mlpKind.specSchema>['model']

/** The model a spec carries, as the prover takes it. */
export function mlpModelOfSpec(model: MlpSpecModel): MlpModel {
  return {
    hiddenWeights: model.hidden.weights.map(row => row.map(BigInt)),
    hiddenBiases: model.hidden.biases.map(BigInt),
    outputWeights: model.output.weights.map(BigInt),
    outputBias: BigInt(model.output.bias),
  }
}

/** A model as a spec carries it (decimal strings). */
export function mlpSpecModelOf(model: MlpModel): MlpSpecModel {
  return {
    hidden: {
      weights: model.hiddenWeights.map(row => row.map(String)),
      biases: model.hiddenBiases.map(String),
    },
    output: { weights: model.outputWeights.map(String), bias: String(model.outputBias) },
  }
}
