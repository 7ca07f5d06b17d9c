/**
 * What every job kind declares, so that protocol, node, client, dashboard, CLI and chain
 * agree on it from one definition (registry.ts). A kind's computation lives with the
 * party that runs it: node/job-kinds/ computes, client/sdk/jobs/ checks.
 * @module
 */
import type * as z from 'zod'
import type { CircuitName } from '../proof/circuits.ts'

/** How a completed job of the kind is checked, on chain and by auditors. */
export type JobCheck =
  /** chunk proofs of `circuit`, verified by the kind's verifier on the router */
  | { by: 'proof'; circuit: CircuitName }
  /**
   * no proof: deterministic, re-executed by a reader of the data (the chain binds the
   * result hash); `how` says how, for audit reports
   */
  | { by: 're-execution'; how: string }
  /**
   * attested, not proven: the node that ran it vouches for the result; the chain binds the
   * dataset root, the model's hash and the result hash (AttestedJobVerifier), and `how`
   * says what a reader of the data can re-run to check it
   */
  | { by: 'attestation'; how: string }

/** The dataset a kind reads. */
export type JobInputShape =
  /** one column of whole numbers below 2^32 */
  | 'numeric-column'
  /** records of LINEAR_FEATURES whole-number features */
  | 'numeric-records'
  /** Paillier ciphertexts, all under one public key */
  | 'paillier'
  /** a table of signed fixed-point decimals in named columns (upload --csv) */
  | 'table'

export interface JobKind<Name extends string = string> {
  readonly name: Name
  /** keccak256(name): SealnetJobs and the verifier router know the kind by it. */
  readonly id: string
  /** One line for `--help`, the dashboard and audit reports. */
  readonly summary: string
  readonly check: JobCheck
  readonly input: JobInputShape
  /** The whole spec (common fields, `kind`, the kind's parameters), sealed in the announcement. */
  readonly specSchema: z.ZodObject
  /** The plaintext result sealed to the submitter. */
  readonly resultSchema: z.ZodObject
}
