export * from './authorizer.ts'
