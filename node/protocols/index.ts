export * from './attest-protocol.ts'
export * from './handler.ts'
export * from './key-protocol.ts'
export * from './shard-protocol.ts'
