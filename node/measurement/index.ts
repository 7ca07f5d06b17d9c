export * from './measurement.ts'
