import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chartData, latencyDistribution } from '../../src/reporters/html-charts.js';
import { renderHtml } from '../../src/reporters/html.js';
import { fixtureReport, NASTY, withResources } from './fixture.js';

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
    expect(runnable).toHaveLength(2);
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
    expect(html.match(/<script/g)).toHaveLength(3);
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
