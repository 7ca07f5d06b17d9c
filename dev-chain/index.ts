export * from './anvil.ts'
export * from './deploy-ledger.ts'
export * from './deploy-verifiers.ts'
export * from './in-process-chain.ts'
