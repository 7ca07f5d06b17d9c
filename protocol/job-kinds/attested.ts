/**
 * What the chain binds for an attested job (AttestedJobVerifier.sol): at submission,
 * keccak256(abi.encode(datasetRoot, modelHash)); at completion, both in the clear as the
 * two public signals, and the hash of the result, keccak256 of its JSON in schema order.
 * @module
 */
import { AbiCoder, keccak256, toUtf8Bytes } from 'ethers'
import * as z from 'zod'
import { NameSchema } from '../names.ts'
import { HEX32 } from '../wire/job-messages.ts'

/** A model's SHA-256 as bytes32 (0 for a kind without a model: training). */
export const modelHashWord = (sha256?: string): string => `0x${sha256 ?? '0'.repeat(64)}`

/** The input commitment an attested job is submitted with. */
export function attestedInputCommitment(datasetRoot: string, modelSha256?: string): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ['bytes32', 'bytes32'],
      [datasetRoot, modelHashWord(modelSha256)],
    ),
  )
}

/** Its completion's public signals: the dataset root and the model hash. */
export function attestedSignals(datasetRoot: string, modelSha256?: string): [bigint, bigint] {
  return [BigInt(datasetRoot), BigInt(modelHashWord(modelSha256))]
}

/** The result hash of an attested result (parse it with its kind's schema first: key order counts). */
export const attestedResultHash = (result: unknown): string =>
  keccak256(toUtf8Bytes(JSON.stringify(result)))

/** A column of a table dataset, as a spec names it. */
export const ColumnSchema = z.string().min(1).max(128)
/** A base64 string (a model's bytes, float32 outputs). */
export const BASE64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64')
/** A SHA-256 in hex. */
export const SHA256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex')

/** What every attested result states about its input, as the chain records it. */
export const attestedResultBase = {
  jobId: HEX32,
  /** The dataset's committed root. */
  datasetRoot: HEX32,
  dataset: NameSchema,
}
