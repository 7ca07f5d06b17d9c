export * from './authorizer.ts'
export * from './project-policy.ts'
