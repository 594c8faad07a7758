import type { Reporter, TestCase } from 'vitest/node';

/**
 * Lists, after the run, every test that passed only on a retry (tests are
 * retried by name, vitest.config.ts) with the error of each failed try:
 * vitest's own output marks them "(retry x1)" and drops the error, and a
 * flaky test in CI is then known by name but not by cause.
 */
export default class RetryReporter implements Reporter {
  private readonly retried: string[] = [];

  onTestCaseResult(test: TestCase): void {
    const retries = test.diagnostic()?.retryCount ?? 0;
    if (retries === 0 || test.result().state !== 'passed') return;
    const file = test.module.moduleId.replace(/^.*?\/test\//, 'test/');
    const errors = (test.result().errors ?? []).map((e) => `    ${String(e.message).split('\n').slice(0, 6).join('\n    ')}`);
    this.retried.push(`  ${file} > ${test.fullName} (retried ${retries}x)\n${errors.join('\n')}`);
  }

  onTestRunEnd(): void {
    if (this.retried.length === 0) return;
    process.stdout.write(`\npassed only on a retry (${this.retried.length}):\n${this.retried.join('\n')}\n`);
  }
}
