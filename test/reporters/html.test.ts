import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fmtMs } from '../../src/reporters/format.js';
import { chartData, latencyDistribution, windowedRate } from '../../src/reporters/html-charts.js';
import { renderHtml } from '../../src/reporters/html.js';
import { fixtureReport, NASTY, T0, withResources } from './fixture.js';

function inlineScripts(html: string): { type?: string; body: string }[] {
  return [...html.matchAll(/<script(?: type="([^"]+)")?(?: id="[^"]+")?>([\s\S]*?)<\/script>/g)].map((m) => ({ type: m[1], body: m[2] }));
}

describe('report.html (static)', () => {
  it('is one file: no external script, style, image or link, and a CSP that forbids fetching', () => {
    const html = renderHtml(withResources(fixtureReport({ defects: true })));
    expect(html).not.toMatch(/<(script|img|iframe|link)\b[^>]*\s(src|href)=/i);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    // exactly the inline scripts that run are allowed, by hash
    const runnable = inlineScripts(html).filter((s) => s.type === undefined);
    // the locale guard, uPlot, the report's own
    expect(runnable).toHaveLength(3);
    for (const s of runnable) expect(csp).toContain(`'sha256-${createHash('sha256').update(s.body).digest('base64')}'`);
  });

  it('embeds the chart data as JSON that parses back to what was computed', () => {
    const report = withResources(fixtureReport({ defects: true }));
    const data = inlineScripts(renderHtml(report)).find((s) => s.type === 'application/json')!;
    expect(data.body).not.toContain('<');
    expect(JSON.parse(data.body)).toEqual(JSON.parse(JSON.stringify({ charts: chartData(report) })));
  });

  it('escapes everything the target sent', () => {
    const report = fixtureReport({ defects: true });
    report.criteria[2] = { ...report.criteria[2], observed: NASTY, detail: NASTY };
    const html = renderHtml(report);
    expect(html.match(/<script/g)).toHaveLength(4);
    expect(html).not.toContain('window.pwned=1</script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;window.pwned=1');
    expect(html).not.toContain('<b>evil-type</b>');
  });

  it('draws the resource chart only when the report has resource samples', () => {
    expect(chartData(fixtureReport()).map((c) => c.id)).toEqual(['latency', 'clients', 'messages', 'distribution', 'reconnects']);
    const withRes = chartData(withResources(fixtureReport()));
    expect(withRes.map((c) => c.id)).toContain('resources');
    const res = withRes.find((c) => c.id === 'resources')!;
    // epoch ms from the sampler become epoch seconds on the time axis
    expect(res.x[0]).toBe(fixtureReport().series[0].t);
  });

  it('the latency distribution is decoded from the report histogram, rising to its max', () => {
    const report = fixtureReport({ latencyMs: 40 });
    const d = latencyDistribution(report.snapshot.histograms.latency_us);
    expect(d.x[0]).toBe(0);
    for (let i = 1; i < d.ms.length; i += 1) expect(d.ms[i]).toBeGreaterThanOrEqual(d.ms[i - 1]);
    expect(d.ms.at(-1)).toBeCloseTo(report.metrics.latencyMs.max, 0);
    // x = 2 is p99
    expect(d.ms[d.x.indexOf(2)]).toBeCloseTo(report.metrics.latencyMs.p99, 0);
    expect(latencyDistribution(undefined)).toEqual({ x: [], ms: [] });
  });

  it('groups message types outside the profile as "other", so a target cannot add lines or labels', () => {
    const messages = chartData(fixtureReport({ defects: true })).find((c) => c.id === 'messages')!;
    expect(messages.series.map((s) => s.label)).toEqual(['tps_updates', 'block_updates', 'network_status', 'validator_metrics', 'other']);
  });
});

describe('report.html chart data and layout (issue 18)', () => {
  const chart = (report: ReturnType<typeof fixtureReport>, id: string) => chartData(report).find((c) => c.id === id)!;

  it('draws the latency threshold from the run thresholds, and the CPU one on the resources chart', () => {
    const report = withResources(fixtureReport());
    expect(chart(report, 'latency').thresholds).toEqual([{ label: 'p99 limit 500 ms', value: 500, scale: 'y' }]);
    const tighter = { ...report, thresholds: { ...report.thresholds, latencyP99Ms: 250 } };
    expect(chart(tighter, 'latency').thresholds[0].value).toBe(250);
    expect(chart(report, 'resources').thresholds.map((t) => t.value)).toEqual([10]);
    expect(chart(report, 'clients').thresholds).toEqual([]);
  });

  it('marks the ramp, the steady phase and the seconds with harness cuts; the disconnects chart has the cuts beside reconnects', () => {
    const report = fixtureReport({ cuts: true });
    const markers = chart(report, 'latency').markers;
    expect(markers.filter((m) => m.kind !== 'cut')).toEqual([
      { t: T0 / 1000, kind: 'ramp', label: 'ramp' },
      { t: Date.parse(report.steady.start) / 1000, kind: 'steady', label: 'steady' },
      { t: Date.parse(report.steady.end) / 1000, kind: 'steady', label: 'end' },
    ]);
    expect(markers.filter((m) => m.kind === 'cut')).toEqual([{ t: Math.floor(Date.parse(report.steady.start) / 1000) + 4, kind: 'cut', label: '2 cut' }]);
    const rc = chart(report, 'reconnects');
    expect(rc.series.map((s) => s.label)).toEqual(['unintended disconnects', 'harness cuts', 'reconnects']);
    expect(rc.series[1].values.reduce<number>((a, v) => a + (v ?? 0), 0)).toBe(2);
  });

  it('marks the first and the last second with churn closes, not every one', () => {
    const report = fixtureReport();
    const from = Math.floor(Date.parse(report.steady.start) / 1000) + 1;
    const series = report.series.map((r) => ({ ...r, churns: r.t >= from && r.t < from + 5 ? 20 : 0 }));
    expect(chart({ ...report, series }, 'latency').markers.filter((m) => m.kind === 'churn')).toEqual([
      { t: from, kind: 'churn', label: 'churn' },
      { t: from + 4, kind: 'churn', label: 'churn end' },
    ]);
    expect(chart(report, 'latency').markers.filter((m) => m.kind === 'churn')).toEqual([]);
  });

  it('messages per second are a rate over whole channel intervals: flat in the steady phase, not a sawtooth', () => {
    expect(windowedRate([10, 0, 10, 0, 10, 0, 10], 2000)).toEqual({ values: [null, null, null, null, null, 5, 5], windowS: 6 });
    expect(windowedRate([3, 3, 3, 3, 3, 3], 1000).values).toEqual([null, null, null, null, 3, 3]);
    const report = fixtureReport();
    const messages = chart(report, 'messages');
    const steadyFrom = messages.x.indexOf(Math.floor(Date.parse(report.steady.start) / 1000) + 6);
    // the welcome frames are the profile's replies, not "other" messages
    expect(messages.series.map((x) => x.label)).not.toContain('other');
    for (const s of messages.series) {
      const steady = s.values.slice(steadyFrom, -2).filter((v): v is number => v !== null);
      expect(steady.length, s.label).toBeGreaterThan(3);
      // one-second buckets of a 2, 3 or 5 s cadence swing between 0 and 2-5 x the mean
      expect(Math.max(...steady) / Math.min(...steady), s.label).toBeLessThan(1.25);
    }
  });

  it('memory is scaled to its data, and every series has a summary for the legend', () => {
    const res = chart(withResources(fixtureReport()), 'resources');
    expect(res.y2).toEqual({ label: 'resident memory (MiB)', series: ['RSS MiB'], fromZero: false });
    for (const c of chartData(withResources(fixtureReport({ cuts: true })))) {
      for (const s of c.series) expect(s.summary, `${c.id} ${s.label}`).toMatch(/\d/);
    }
    const report = fixtureReport();
    expect(chart(report, 'latency').series.map((s) => s.summary)).toEqual([`run ${fmtMs(report.metrics.latencyMs.p50)}`, `run ${fmtMs(report.metrics.latencyMs.p99)}`]);
  });

  it('lists failed criteria first, marked, with links to them', () => {
    const report = fixtureReport({ defects: true });
    const failed = report.criteria.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed.length).toBeGreaterThan(0);
    const html = renderHtml(report);
    const rows = [...html.matchAll(/<tr class="row-(\w+)" id="criterion-(\w+)">/g)].map((m) => ({ status: m[1], id: m[2] }));
    expect(rows).toHaveLength(report.criteria.length);
    expect(rows.slice(0, failed.length).map((r) => r.id)).toEqual(failed);
    expect(rows.slice(failed.length).every((r) => r.status !== 'fail')).toBe(true);
    expect(html).toContain(`${failed.length} failed: <a href="#criterion-${failed[0]}">`);
  });

  it('shows times as <time> elements (UTC without the script), never raw ISO', () => {
    const html = renderHtml(fixtureReport({ defects: true }));
    expect(html).toContain('<dt>started</dt><dd><time datetime="2026-01-15T12:00:00.000Z">2026-01-15 12:00:00 UTC</time></dd>');
    const visible = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ');
    expect(visible).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('the key metrics give the reconnect criterion its own figure: the cuts that came back', () => {
    const report = fixtureReport({ cuts: true });
    const html = renderHtml(report);
    expect(report.criteria.find((c) => c.id === 'reconnect')!.observed).toContain('2/2 back');
    expect(html).toContain('<td>harness cuts</td><td>2 cut(s), 2/2 back</td>');
    expect(html).not.toContain('2 cut(s), 0 reconnected');
    expect(html).toContain('<td>after unintended drops</td><td>0 reconnected, 0 gave up</td>');
  });
});
