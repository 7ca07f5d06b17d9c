export * from './node-metrics.ts'
