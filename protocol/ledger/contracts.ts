/** The Sealnet contracts by their key in a deployment, and the artifact each is built from. */

export const CONTRACTS = {
  identities: 'SealnetIdentities',
  projects: 'SealnetProjects',
  jobs: 'SealnetJobs',
  actions: 'SealnetSensitiveActions',
} as const
export type ContractKey = keyof typeof CONTRACTS
