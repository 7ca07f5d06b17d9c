export * from './retention-sweeper.ts'
