import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BaselineComparison } from '../../src/baseline/compare.js';
import type { RenderableReport } from '../../src/reporters/view.js';
import { runCli } from '../helpers/cli.js';

/**
 * The acceptance test of baselines, end to end through the real bin and the
 * embedded simulator: a baseline from a clean run, then a run against the
 * simulator's latency fault, which passes every absolute threshold (300 ms
 * is under the 500 ms gate) but fails on the comparison, on latency.
 * Short runs: 10 clients, no ramp, 4 s steady.
 */
const dir = mkdtempSync(join(tmpdir(), 'lsb-regression-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUN = ['--clients', '10', '--ramp', '0s', '--duration', '4s', '--format', 'json,junit', '--seed', '7'];
const readReport = (sub: string) => JSON.parse(readFileSync(join(dir, sub, 'report.json'), 'utf8')) as RenderableReport & { baseline: BaselineComparison };

describe('baseline regression', () => {
  it('a clean baseline, then the latency fault: exit 1 on latency, though every criterion passed', async () => {
    const base = join(dir, 'baseline.json');
    const clean = await runCli([...RUN, '--out', join(dir, 'clean'), '--save-baseline', base]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(JSON.parse(readFileSync(base, 'utf8')).kind).toBe('livestream-bench-baseline');
    expect(readdirSync(join(dir, 'clean')).sort()).toEqual(['junit.xml', 'report.json']); // --format picks the files

    // as in a GitHub Actions step: summary.md is appended to the step summary, not written over it
    const stepSummary = join(dir, 'step-summary.md');
    writeFileSync(stepSummary, '# earlier step\n');
    const slow = await runCli([...RUN, '--format', 'json,junit,md', '--out', join(dir, 'slow'), '--baseline', base, '--sim-fault', 'latency=300ms'], {
      env: { GITHUB_STEP_SUMMARY: stepSummary },
    });
    expect(slow.code, slow.stderr).toBe(1);
    const summary = readFileSync(stepSummary, 'utf8');
    expect(summary.startsWith('# earlier step\n')).toBe(true);
    expect(summary).toMatch(/### Baseline: .*latency_p99/);
    const report = readReport('slow');
    expect(report.criteria.find((c) => c.id === 'latency')!.status).toBe('pass');
    expect(report.criteria.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verdict).toBe('fail');
    expect(report.baseline.regressions).toContain('latency_p99');
    const row = report.baseline.rows.find((r) => r.metric === 'latency_p99')!;
    expect(row.current! - row.baseline!).toBeGreaterThan(250);
    for (const quiet of ['lost_messages', 'duplicates', 'unintended_disconnects', 'violations']) {
      expect(report.baseline.regressions).not.toContain(quiet);
    }
    // CI sees it too: a failing baseline case in junit.xml
    expect(readFileSync(join(dir, 'slow', 'junit.xml'), 'utf8')).toMatch(/classname="livestream-bench.baseline" name="latency_p99"[^>]*>\s*<failure/);

    // and offline, the same verdict
    const offline = await runCli(['compare', base, join(dir, 'slow', 'report.json')]);
    expect(offline.code).toBe(1);
    expect(offline.stdout).toMatch(/latency_p99.*REGRESSION/);
  });
});
