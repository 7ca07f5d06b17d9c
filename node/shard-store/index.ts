export * from './errors.ts'
export * from './shard-store.ts'
