export * from './node-config.ts'
