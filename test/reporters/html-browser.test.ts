import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptySnapshot } from '../../src/metrics/snapshot.js';
import { chartData } from '../../src/reporters/html-charts.js';
import { renderHtml } from '../../src/reporters/html.js';
import type { RenderableReport } from '../../src/reporters/view.js';
import { writeReportFiles } from '../../src/reporters/write.js';
import { buildReport } from '../../src/verdict/report.js';
import { launchChromium } from '../helpers/browser.js';
import { fixtureReport, fixtureRun, NASTY, withResources } from './fixture.js';

/**
 * report.html in a real browser: the Chromium that @sparticuz/chromium ships
 * in node_modules, driven by playwright-core, one launch for the file. It
 * comes with `npm ci`; nothing here skips.
 */
export const SCREENSHOT = join(tmpdir(), 'livestream-bench-report.png');

let dir: string;
let context: BrowserContext;

interface Loaded {
  page: Page;
  requests: string[];
  errors: string[];
}

async function open(report: RenderableReport, name: string): Promise<Loaded> {
  const [path] = writeReportFiles(join(dir, name), { 'report.html': renderHtml(report) });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(pathToFileURL(path).href);
  await page.waitForSelector('body[data-charts-ready]', { timeout: 10_000 });
  return { page, requests, errors };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lsb-html-'));
  context = await launchChromium(join(dir, 'profile'));
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('renders every chart with the run data, no console error, no request but the file, nothing injected', async () => {
    const report = withResources(fixtureReport({ defects: true }));
    report.criteria[2] = { ...report.criteria[2], observed: NASTY, detail: NASTY };
    const { page, requests, errors } = await open(report, 'full');

    expect(errors).toEqual([]);
    expect(requests).toEqual([page.url()]);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('img, iframe').count()).toBe(0);

    const expected = chartData(report);
    const drawn = await page.evaluate(() => {
      const charts = (globalThis as unknown as { lsbCharts: Record<string, { data: (number | null)[][]; series: { label: string }[] }> }).lsbCharts;
      return Object.fromEntries(Object.entries(charts).map(([id, u]) => [id, { data: u.data, labels: u.series.slice(1).map((s) => s.label) }]));
    });
    expect(Object.keys(drawn).sort()).toEqual(expected.map((c) => c.id).sort());
    for (const c of expected) {
      expect(c.x.length, `${c.id} has points`).toBeGreaterThan(0);
      expect(drawn[c.id].data, c.id).toEqual([c.x, ...c.series.map((s) => s.values)]);
      expect(drawn[c.id].labels).toEqual(c.series.map((s) => s.label));
      const box = page.locator(`#chart-${c.id}`);
      expect(await box.getAttribute('data-rendered')).toBe('true');
      expect(Number(await box.getAttribute('data-points'))).toBe(c.x.length);
      const canvas = await box.locator('canvas').boundingBox();
      expect(canvas!.width).toBeGreaterThan(300);
    }
    // the run data itself, not only what chartData computed
    expect(drawn.clients.data[1]).toEqual(report.series.map((r) => r.open));
    expect(drawn.reconnects.data[2].reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(2);

    // the visible text is the escaped hostile string, shown as text
    expect(await page.locator('#violations').innerText()).toContain('<script>window.pwned=1</script>');
    expect(await page.locator('table.criteria tbody tr').count()).toBe(report.criteria.length);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('renders a run that recorded nothing without errors, each chart saying so', async () => {
    const run = fixtureRun();
    const report = buildReport({ ...run, snapshot: emptySnapshot(), interrupted: true });
    const { page, requests, errors } = await open(report, 'empty');
    expect(errors).toEqual([]);
    expect(requests).toEqual([page.url()]);
    const states = await page.locator('figure.chart').evaluateAll((els) => els.map((e) => e.getAttribute('data-rendered')));
    expect(states).toEqual(['empty', 'empty', 'empty', 'empty', 'empty']);
  });
});
