import { describe, expect, it } from 'vitest';
import { startRun } from '../../src/engine/run.js';
import { defaultSettings } from '../../src/scenario/settings.js';
import { buildReport } from '../../src/verdict/report.js';
import { CRITERION_IDS } from '../../src/verdict/criteria.js';

/**
 * The whole Phase 3B gate against the embedded simulator (its own process):
 * load, chaos cuts, protocol probes, the simulator's CPU and memory, and
 * the REST fallback. Every criterion a socket can see is measured; none is
 * skipped. The four that need a real browser are skipped here, saying so,
 * and judged with pages in test/browser/page-run.test.ts.
 */
const NEEDS_A_PAGE = ['page_load', 'ui_updates', 'page_fallback', 'cross_browser'];
/**
 * server_memory on a 25 s window passes, or says it cannot tell: a Node
 * simulator's heap still filling, with no collection in the window, and a
 * leak read the same until one shows (verdict/memory-floors.ts). Skipped so
 * is the gate being truthful (CI: "slope 1.11 MB/min", no floor, about one
 * run in five); a pass on a clean server and a fail on a leaking one are
 * asserted on longer windows (test/integration/churn.test.ts, reliability.test.ts).
 */
const MEMORY_JUDGED = /^pass|^skipped: .*a heap still filling and a leak/;
describe('the Phase 3B run against the embedded simulator', () => {
  // retried once by name: server_memory's 25 s trend of a simulator collected at its own pace is 'cannot tell' on a
  // machine busy with other test files now and then, and cadence and latency are judged on it
  it('measures and passes every criterion', { retry: 1 }, async () => {
    const r = buildReport(await startRun(defaultSettings({ clients: 20, rampMs: 1000, durationMs: 25_000 })).result);
    const status = Object.fromEntries(r.criteria.map((c) => [c.id, `${c.status}: ${c.observed} ${c.detail}`]));
    for (const id of CRITERION_IDS) expect(status[id], id).toMatch(NEEDS_A_PAGE.includes(id) ? /^skipped: .*no page given \(--page\)/ : id === 'server_memory' ? MEMORY_JUDGED : /^pass/);
    expect(r.verdict).toBe('pass');
    expect(r.probes?.probes.every((p) => p.pass)).toBe(true);
    expect(r.resources?.source).toBe('pid');
    expect(r.fallback?.ok).toBeGreaterThan(10);
    expect(r.metrics.reconnect.cuts).toBe(2);
  });
});
