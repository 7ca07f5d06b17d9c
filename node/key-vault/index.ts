export * from './key-vault.ts'
