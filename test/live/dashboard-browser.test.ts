import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startRun } from '../../src/engine/run.js';
import { startLive } from '../../src/live/start.js';
import { JUDGE_MAX_PERIOD_MS } from '../../src/live/live-view.js';
import { renderHtml } from '../../src/reporters/html.js';
import { writeReportFiles } from '../../src/reporters/write.js';
import { defaultSettings } from '../../src/scenario/settings.js';
import { startSimulator } from '../../src/simulator/index.js';
import { buildReport } from '../../src/verdict/report.js';
import { launchChromium } from '../helpers/browser.js';

/**
 * The live dashboard in real Chromium (the npm-shipped one) during a run:
 * the charts gain points as the seconds come, `latency` turns from pass to
 * fail when the target starts sending late (the simulator's fault set at run
 * time), the page links to report.html at the end, with no console error
 * and no request beyond the dashboard's own loopback server.
 */
const dir = mkdtempSync(join(tmpdir(), 'lsb-dashboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// run in the page (the test's own lib has no DOM types)
type PageGlobals = { lsbCharts?: Record<string, { data: number[][] }>; document: { getElementById(id: string): { className: string } | null } };
const points = () => (globalThis as unknown as PageGlobals).lsbCharts?.messages?.data[0].length ?? 0;
const latencyStatus = () => (globalThis as unknown as PageGlobals).document.getElementById('criterion-latency')?.className ?? '';

/**
 * Waits until `probe` (run in the page) satisfies `ok`. page.evaluate, not
 * waitForFunction: the page's CSP forbids eval, which waitForFunction's
 * polling uses, and evaluate goes through the protocol instead.
 */
async function until<T>(page: Page, probe: () => T, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = (await page.evaluate(probe)) as T;
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await page.waitForTimeout(100);
  }
}

describe('--dashboard in Chromium', () => {
  // retried once by name: waits on a running judgement of latency in a real browser on a shared two-core machine
  it('updates each second, shows a criterion failing once the fault starts, links the report; loopback only, no console error', { retry: 1, timeout: 60_000 }, async () => {
    const sim = await startSimulator({ port: 0, seed: 3 });
    const context = await launchChromium(join(dir, 'profile'));
    try {
      // long enough for a judgement after the fault: the running status is at most JUDGE_MAX_PERIOD_MS old
      const settings = defaultSettings({ target: sim.url, clients: 4, minClients: 4, rampMs: 500, durationMs: JUDGE_MAX_PERIOD_MS + 8000, chaos: undefined, probes: false });
      const problems: string[] = [];
      const live = await startLive(settings, { dashboard: { host: '127.0.0.1', port: 0 }, problem: (l) => problems.push(l) });
      expect(live.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const run = startRun(settings);
      live.view.attach(run);

      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning' ? errors.push(`${m.type()}: ${m.text()}`) : undefined));
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      await page.goto(live.url!);
      await page.waitForSelector('body[data-charts-ready]');

      // points come each second: two updates later the messages chart has more
      const before = await until(page, points, (n) => n >= 2, 8000, 'two points on the messages chart');
      expect(await page.evaluate(latencyStatus)).toBe('row-pass');
      await until(page, points, (n) => n >= before + 2, 5000, 'two more points');

      // the target starts sending 900 ms late: the running latency criterion fails while the run goes on
      await sim.setFaults(['latency=900ms']);
      await until(page, latencyStatus, (c) => c === 'row-fail', JUDGE_MAX_PERIOD_MS + 4000, 'latency failing');
      expect(await page.textContent('#live-status')).toMatch(/failing so far: .*latency/);
      expect(live.view.failing()).toContain('latency');

      const result = await run.result;
      const report = buildReport(result);
      await live.view.finish(report);
      const [file] = writeReportFiles(join(dir, 'out'), { 'report.html': renderHtml(report) });
      live.dashboard!.reportWritten(file, report);
      await page.waitForSelector('body[data-live-done] #live-report');
      await page.click('#live-report');
      await page.waitForSelector('body[data-charts-ready]');
      expect(page.url()).toBe(`${live.url}report.html`);
      expect(await page.textContent('header .badge')).toBe('FAIL');

      expect(errors).toEqual([]);
      expect(requests.length).toBeGreaterThan(2);
      for (const r of requests) expect(r.startsWith(live.url!), r).toBe(true);
      expect(problems).toEqual([]);
      await live.view.close();
    } finally {
      await context.close();
      await sim.close();
    }
  });
});
