import { defineConfig } from 'vitest/config'

/** `npm run test:faults`: faults and abuse on real processes, slower than `npm test`. */
export default defineConfig({
  test: {
    // the malformed-traffic test again, at tens of thousands of frames instead of 3 000
    include: ['test/faults/**/*.test.ts', 'test/node-abuse.test.ts'],
    env: { SEALNET_FUZZ_FRAMES: '30000' },
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // one network at a time: each file starts a chain and nodes as processes
    fileParallelism: false,
    // the suite ends with the plain line "N passed, N failed"
    reporters: [
      'default',
      ['json', { outputFile: 'test-results/faults.json' }],
      './test/summary-reporter.ts',
    ],
  },
})
