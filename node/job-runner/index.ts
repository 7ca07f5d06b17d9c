export * from './compute-job.ts'
export * from './job-runner.ts'
