/** Compiled contracts (Hardhat's artifacts/ folder, rebuilt by `npm run build:contracts`). */
import { readFileSync } from 'node:fs'
import type { InterfaceAbi } from 'ethers'
import { ContractsNotBuiltError } from './errors.ts'

export interface ContractArtifact {
  contractName: string
  abi: InterfaceAbi
  bytecode: string
}

const ROOT = new URL('../../artifacts/contracts/', import.meta.url)

/** The artifact of `contracts/<sourcePath>`, e.g. loadArtifact('SealnetJobs'), loadArtifact('test/FixedVerifier'). */
export function loadArtifact(sourcePath: string): ContractArtifact {
  const name = sourcePath.split('/').at(-1)!
  try {
    return JSON.parse(
      readFileSync(new URL(`${sourcePath}.sol/${name}.json`, ROOT), 'utf8'),
    ) as ContractArtifact
  } catch {
    throw new ContractsNotBuiltError(name)
  }
}
