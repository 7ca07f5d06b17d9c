/**
 * The deployment file that tells nodes and the CLI where the Sealnet contracts are
 * (dev-chain/ deploys them on a development chain).
 * @module
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { MalformedDeploymentError } from './errors.ts'

export interface Deployment {
  chainId: string
  /** Block of the first deployment transaction: event queries start here. */
  fromBlock: number
  identities: string
  projects: string
  jobs: string
  actions: string
  /** address(0) until the circuits supply a Groth16 verifier adapter. */
  verifier: string
  /** JSON-RPC endpoint of the chain, when the deployer knows one (sealnet chain start). */
  rpcUrl?: string
}

const deploymentSchema = z.object({
  chainId: z.string(),
  fromBlock: z.number().int().nonnegative(),
  identities: z.string(),
  projects: z.string(),
  jobs: z.string(),
  actions: z.string(),
  verifier: z.string(),
  rpcUrl: z.string().optional(),
})

/** Reads a deployment file; malformed content is a MalformedDeploymentError naming the field. */
export async function readDeployment(path: string): Promise<Deployment> {
  // file-system errors (ENOENT, EACCES) pass through as they are: only the content is "malformed"
  const text = await readFile(path, 'utf8')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new MalformedDeploymentError(`deployment file ${path}: ${(err as Error).message}`)
  }
  const parsed = deploymentSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new MalformedDeploymentError(
      `deployment file ${path}: ${issue?.path.join('.')}: ${issue?.message}`,
    )
  }
  return parsed.data
}
