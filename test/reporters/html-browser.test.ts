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
import { fmtMs } from '../../src/reporters/format.js';
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
  // a reader in India: a zone off UTC by a half hour shows any time left in UTC
  context = await launchChromium(join(dir, 'profile'), { timezoneId: 'Asia/Kolkata', locale: 'en-US' });
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
    expect(drawn.reconnects.data[1 + drawn.reconnects.labels.indexOf('reconnects')].reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(2);

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

  it('draws the threshold lines and the run markers, and the disconnects chart has the harness cuts', async () => {
    // p99 near the 500 ms limit, so the line falls inside the latency axis
    const report = withResources(fixtureReport({ cuts: true, latencyMs: 420 }));
    const { page, errors } = await open(report, 'overlays');
    expect(errors).toEqual([]);
    const overlays = await page.evaluate(() => (globalThis as unknown as { lsbOverlays: Record<string, { thresholds: { label: string; value: number; inside: boolean }[]; markers: { kind: string }[] }> }).lsbOverlays);
    expect(overlays.latency.thresholds).toEqual([{ label: 'p99 limit 500 ms', value: 500, inside: true }]);
    expect(overlays.resources.thresholds.map((t) => t.label)).toEqual(['CPU mean limit 10 %']);
    for (const id of ['latency', 'clients', 'messages', 'reconnects']) {
      expect(overlays[id].markers.map((m) => m.kind).sort(), id).toEqual(['cut', 'ramp', 'steady', 'steady']);
    }
    const cuts = await page.evaluate(() => {
      const u = (globalThis as unknown as { lsbCharts: Record<string, { data: (number | null)[][]; series: { label: string }[] }> }).lsbCharts.reconnects;
      return u.data[u.series.findIndex((s) => s.label === 'harness cuts')];
    });
    expect(cuts.reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(2);
  });

  it('legends show the run figures with no cursor, and the values under the cursor', async () => {
    const report = fixtureReport({ cuts: true });
    const { page } = await open(report, 'legend');
    const legend = () => page.locator('#chart-latency .u-legend .u-value').allInnerTexts();
    const idle = await legend();
    expect(idle.join(' ')).not.toContain('--');
    expect(idle[1]).toBe(`run ${fmtMs(report.metrics.latencyMs.p50)}`);
    expect(idle[2]).toBe(`run ${fmtMs(report.metrics.latencyMs.p99)}`);
    expect(idle[0]).toMatch(/^\d\d:\d\d:\d\d – \d\d:\d\d:\d\d \(\d+ s\)$/);
    const over = page.locator('#chart-latency .u-over');
    const box = await over.boundingBox();
    // hover scrolls the chart into view first; a mouse move outside the viewport reaches nothing
    await over.hover({ position: { x: box!.width * 0.6, y: box!.height / 2 } });
    await page.locator('#chart-latency .u-legend .u-value').first().filter({ hasNotText: '–' }).waitFor();
    const hovered = await legend();
    expect(hovered[0]).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(hovered[1]).toMatch(/^\d+\.\d\d$/);
  });

  it('times read in the reader\'s zone, 24-hour, with the zone; the memory axis is scaled to the data', async () => {
    const report = withResources(fixtureReport({ defects: true }));
    const { page } = await open(report, 'times');
    // T0 is 12:00:00 UTC: 17:30 in India
    expect(await page.locator('#run time').first().innerText()).toBe('2026-01-15 17:30:00 GMT+5:30');
    expect(await page.locator('#violations time').first().innerText()).toMatch(/^2026-01-15 17:30:\d\d GMT\+5:30$/);
    const axis = await page.evaluate(() => {
      const u = (globalThis as unknown as { lsbCharts: Record<string, { axes: { label: string; _values: string[] }[]; scales: Record<string, { min: number; max: number }> }> }).lsbCharts;
      return { label: u.latency.axes[0].label, values: u.latency.axes[0]._values, rss: u.resources.scales.y2 };
    });
    expect(axis.label).toBe('local time (GMT+5:30)');
    expect(axis.values.length).toBeGreaterThan(1);
    for (const v of axis.values) expect(v).toMatch(/^17:3\d:\d\d$/);
    // the fixture's RSS is 48 MiB and a little more: an axis from 0 would flatten it
    expect(axis.rss.min).toBeGreaterThan(40);
    expect(axis.rss.max).toBeLessThan(60);
  });

  it('puts the failed criteria first, marked', async () => {
    const report = fixtureReport({ defects: true });
    const { page } = await open(report, 'failed');
    const failed = report.criteria.filter((c) => c.status === 'fail').map((c) => c.id);
    const ids = await page.locator('table.criteria tbody tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('code')!.textContent, r.className]));
    expect(ids.slice(0, failed.length)).toEqual(failed.map((id) => [id, 'row-fail']));
    const bg = await page.locator('table.criteria tr.row-fail td').first().evaluate((td) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { backgroundColor: string } }).getComputedStyle(td).backgroundColor);
    expect(bg).not.toBe('rgba(0, 0, 0, 0)');
    expect(await page.locator('p.failed-list a').count()).toBe(failed.length);
  });
});


describe('report.html whatever the browser locale', () => {
  it('draws its charts in a Chromium whose locale is "en-US@posix" (no RangeError: Invalid language tag)', async () => {
    const posix = await launchChromium(join(dir, 'profile-posix'), { locale: null });
    try {
      const page = await posix.newPage();
      expect(await page.evaluate('navigator.language')).toBe('en-US@posix');
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const [path] = writeReportFiles(join(dir, 'posix'), { 'report.html': renderHtml(fixtureReport({ defects: true })) });
      await page.goto(pathToFileURL(path).href);
      await page.waitForSelector('body[data-charts-ready]', { timeout: 10_000 });
      expect(errors).toEqual([]);
      expect(await page.locator('[data-rendered]').count()).toBeGreaterThan(0);
    } finally {
      await posix.close();
    }
  }, 30_000);
});
