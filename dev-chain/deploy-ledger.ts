/** Deploying the Sealnet contracts, wired together, from their compiled artifacts. */

import { Contract, ContractFactory, type Signer, ZeroAddress } from 'ethers'
import { type Deployment, loadArtifact } from '../protocol/ledger/index.ts'

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
  // retention cuts on projects with approvers need the approvers (SealnetProjects asks actions)
  const linking = await new Contract(
    projects,
    loadArtifact('SealnetProjects').abi,
    signer,
  ).getFunction('linkSensitiveActions')(actions)
  await linking.wait()
  const { chainId } = await provider.getNetwork()
  return { chainId: chainId.toString(), fromBlock, identities, projects, jobs, actions, verifier }
}
