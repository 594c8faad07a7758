import { describe, expect, it } from 'vitest';
import { chartTail, lastXOf, tailContextSeconds } from '../../src/live/chart-tail.js';
import { chartData } from '../../src/reporters/html-charts.js';
import { fixtureReport } from '../reporters/fixture.js';

describe('a live chart tail', () => {
  const report = fixtureReport();
  const whole = chartData(report);

  it('holds each time chart\'s points past the last a viewer has, and no distribution', () => {
    const sent = lastXOf(whole);
    expect(chartTail(whole, sent)).toEqual([]);
    const clients = whole.find((c) => c.id === 'clients')!;
    const before = { ...sent, clients: clients.x.at(-3)! };
    const tail = chartTail(whole, before);
    expect(tail.map((t) => t.id)).toEqual(['clients']);
    expect(tail[0].x).toEqual(clients.x.slice(-2));
    expect(tail[0].series[0].values).toEqual(clients.series[0].values.slice(-2));
    expect(Object.keys(lastXOf(whole))).not.toContain('distribution');
  });

  it('over the last seconds only, gives the same new points as the whole charts', () => {
    const rows = report.series;
    const context = Math.min(rows.length - 1, tailContextSeconds(report.metrics.channels.map((c) => c.intervalMs)));
    const recent = chartData({ ...report, series: rows.slice(-context) });
    const sent = lastXOf(whole);
    for (const c of whole) if (c.xKind === 'time' && c.x.length > 1) sent[c.id] = c.x.at(-2)!;
    // the rate over whole intervals needs the seconds before: the context holds them
    expect(chartTail(recent, sent)).toEqual(chartTail(whole, sent));
  });

  it('keeps two of the longest channel\'s intervals, at least 10 s', () => {
    expect(tailContextSeconds([1000, 2000, 5000])).toBe(10);
    expect(tailContextSeconds([1000])).toBe(10);
    expect(tailContextSeconds([30_000])).toBe(60);
  });

  it('would give other points with too few seconds before them (the context is needed)', () => {
    const rows = report.series;
    const sent = lastXOf(whole);
    for (const c of whole) if (c.xKind === 'time' && c.x.length > 1) sent[c.id] = c.x.at(-2)!;
    const short = chartData({ ...report, series: rows.slice(-2) });
    expect(chartTail(short, sent)).not.toEqual(chartTail(whole, sent));
  });
});
