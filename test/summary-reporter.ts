/** A Vitest reporter that ends a run with the plain line "N passed, N failed", for scripts. */
import type { Reporter, TestModule } from 'vitest/node'

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    for (const module of modules) {
      passed += [...module.children.allTests('passed')].length
      failed += [...module.children.allTests('failed')].length
      // a file that failed to load has no tests to count: it counts as one failure
      if (module.errors().length > 0 && ![...module.children.allTests()].length) failed++
    }
    // reporters end concurrently and the JSON reporter logs after its write: print last, at exit
    process.once('exit', () => process.stdout.write(`${passed} passed, ${failed} failed\n`))
  }
}
