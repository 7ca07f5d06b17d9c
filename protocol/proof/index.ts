export * from './chunk-commitment.ts'
export * from './circuits.ts'
export * from './errors.ts'
export * from './stats-proof.ts'
