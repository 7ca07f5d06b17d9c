import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'protocol/**/*.test.ts',
      'client/**/*.test.ts',
      'node/**/*.test.ts',
      'contracts/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // the fault suite runs on its own: npm run test:faults
    exclude: [...configDefaults.exclude, 'test/faults/**'],
    // builds circuits and contracts first (cached: a no-op when nothing changed)
    globalSetup: ['test/global-setup.ts'],
    // two files at a time even on 2 cores: the CLI and network tests mostly wait on
    // subprocesses, sockets and the chain (Vitest's default would be cores − 1 = 1)
    maxWorkers: 2,
    // RSA derivation at 4096 bits and the CLI subprocess tests take seconds on 2 cores
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // the JSON report gives .ci/run its closing "N passed, N failed" line
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
})
