/**
 * Deploying the Sealnet contracts and the deployment file that tells nodes and the CLI
 * where they are.
 * @module
 */
import { readFile } from 'node:fs/promises'
import { ContractFactory, type Signer, ZeroAddress } from 'ethers'
import { z } from 'zod'
import { loadArtifact } from './artifacts.ts'
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

/**
 * Deploys compiled contract `name` (a path under contracts/, as loadArtifact takes) and
 * waits for it; returns its address.
 */
export async function deployContract(
  signer: Signer,
  name: string,
  args: unknown[] = [],
): Promise<string> {
  const artifact = loadArtifact(name)
  const contract = await new ContractFactory(artifact.abi, artifact.bytecode, signer).deploy(
    ...args,
  )
  await contract.waitForDeployment()
  return contract.getAddress()
}

/**
 * Deploys identities, projects, jobs and sensitive actions, wired together.
 * @example const deployment = await deployLedger(await chain.provider.getSigner(0))
 */
export async function deployLedger(
  signer: Signer,
  options: { verifier?: string } = {},
): Promise<Deployment> {
  const provider = signer.provider!
  const fromBlock = await provider.getBlockNumber()
  const verifier = options.verifier ?? ZeroAddress
  const identities = await deployContract(signer, 'SealnetIdentities', [])
  const projects = await deployContract(signer, 'SealnetProjects', [identities])
  const jobs = await deployContract(signer, 'SealnetJobs', [identities, projects, verifier])
  const actions = await deployContract(signer, 'SealnetSensitiveActions', [projects])
  const { chainId } = await provider.getNetwork()
  return { chainId: chainId.toString(), fromBlock, identities, projects, jobs, actions, verifier }
}

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
