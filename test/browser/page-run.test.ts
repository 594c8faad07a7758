import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/browser/find-browser.js';
import { cutWindow, longestGap } from '../../src/browser/timing.js';
import { startRun } from '../../src/engine/run.js';
import { renderHtml } from '../../src/reporters/html.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { settingsFromFlags } from '../../src/scenario/flags.js';
import { defaultSettings } from '../../src/scenario/settings.js';
import { buildReport } from '../../src/verdict/report.js';

const BROWSER_IDS = ['page_load', 'ui_updates', 'page_fallback', 'cross_browser'];

describe('the timing rules of the browser criteria', () => {
  it('longest gap counts the open stretches at both ends and leaves the excluded windows out', () => {
    expect(longestGap([1000, 2000, 3000], 0, 10_000)).toMatchObject({ gapMs: 7000, at: 3000, count: 3 });
    expect(longestGap([], 0, 4000)).toMatchObject({ gapMs: 4000, count: 0 });
    const ticks = [0, 1000, 2000, 7000, 8000];
    expect(longestGap(ticks, 0, 8000).gapMs).toBe(5000);
    expect(longestGap(ticks, 0, 8000, [{ from: 2000, to: 6500 }]).gapMs).toBe(1000);
  });

  it('a cut is forgiven until the first frame after it, at most the reconnect limit', () => {
    expect(cutWindow(1000, 2500, 15_000)).toEqual({ from: 1000, to: 2500 });
    expect(cutWindow(1000, undefined, 15_000)).toEqual({ from: 1000, to: 16_000 });
  });
});

describe('--page, --browser, --watch', () => {
  it('parse from flags; an unknown browser word is refused', () => {
    expect(settingsFromFlags({ page: true, browser: 'chromium,firefox', watch: '#tps' })).toMatchObject({ page: true, browsers: ['chromium', 'firefox'], watch: '#tps' });
    expect(settingsFromFlags({ page: 'http://127.0.0.1:3000/' }).page).toBe('http://127.0.0.1:3000/');
    expect(() => settingsFromFlags({ page: true, browser: 'safari' })).toThrow(/--browser has "safari": not chromium, firefox or a path/);
    expect(() => settingsFromFlags({ page: 'ftp://x/' })).toThrow(/--page must be an http/);
  });

  it('a browser path that is not there is a usage error naming it', async () => {
    await expect(findBrowser('./no/such/firefox')).rejects.toMatchObject({ code: 'LSB_USAGE', message: expect.stringContaining('./no/such/firefox') });
  });
});

describe('the browser phase against the embedded simulator (packaged Chromium)', () => {
  it('passes all four browser criteria, with the row, screenshots and table in every report', async () => {
    const run = startRun(defaultSettings({ clients: 2, minClients: 2, rampMs: 1500, durationMs: 3000, probes: false, page: true, browsers: ['chromium'] }));
    const report = buildReport(await run.result);
    const byId = Object.fromEntries(report.criteria.map((c) => [c.id, c]));
    for (const id of BROWSER_IDS) expect(byId[id].status, `${id}: ${byId[id].observed} ${byId[id].detail}`).toBe('pass');
    expect(report.criteria.map((c) => c.id).slice(-4)).toEqual(BROWSER_IDS);

    const [chromium] = report.browsers!;
    expect(chromium.kind).toBe('chromium');
    expect(chromium.version).toMatch(/Chrome\/\d+/);
    expect(chromium.pages.map((p) => p.role)).toEqual(['main', 'refused']);
    // the chaos round cut the page's socket a third into the steady phase, and it came back
    const main = chromium.pages[0];
    expect(main.cut?.reconnectedAt).toBeGreaterThan(main.cut!.at);
    expect(chromium.footprint?.rssPeakBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(chromium.screenshots?.start).toMatch(/^iVBORw0KGgo/);
    expect(chromium.screenshots?.end).toMatch(/^iVBORw0KGgo/);
    // screenshots once in report.json: with the browsers, not in the snapshot
    expect(report.snapshot.browsers?.[0].screenshots).toBeUndefined();

    const html = renderHtml(report);
    expect(html).toContain('<section id="browsers">');
    expect((html.match(/<img alt="[^"]*" src="data:image\/png;base64,/g) ?? []).length).toBe(2);
    expect(renderMarkdown(report)).toMatch(/### Browsers[\s\S]*\| chromium \(HeadlessChrome\/[\d.]+\) \\?\[packaged\\?\] \| pass: loaded/);
    for (const id of BROWSER_IDS) expect(renderJunit(report)).toContain(`name="${id}`);
  }, 40_000);

  it('without --page the four are skipped: no page given', async () => {
    const { judge } = await import('../../src/verdict/judge.js');
    const { CRITERIA } = await import('../../src/verdict/criteria/index.js');
    const input = { metrics: {}, thresholds: {} } as unknown as Parameters<typeof judge>[0];
    for (const c of CRITERIA.filter((x) => BROWSER_IDS.includes(x.id))) expect(c.judge(input)).toMatchObject({ status: 'skipped', detail: 'no page given (--page)' });
  });
});
