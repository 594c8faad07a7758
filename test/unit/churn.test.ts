import { describe, expect, it } from 'vitest';
import { churnGap, lostAtEnd, lostAtStart } from '../../src/checks/cadence.js';
import { parseThreads } from '../../src/engine/pid-source.js';
import type { ResourcePoint, ResourceSeries } from '../../src/metrics/resource-series.js';
import type { SeriesPoint } from '../../src/metrics/snapshot.js';
import { churnPlan, churnRate, sliceChurn } from '../../src/scenario/churn-plan.js';
import { flagAt } from '../../src/scenario/option-kinds.js';
import { loadPlan } from '../../src/scenario/plan.js';
import type { CriterionResult } from '../../src/verdict/criteria.js';
import { judgeMemoryPerConnection, withPerConnection } from '../../src/verdict/criteria/memory-per-connection.js';
import { fitPerConnection, lowerEnvelope, openedBy } from '../../src/verdict/per-connection.js';
import { threadFigures } from '../../src/verdict/threads.js';

const plan = loadPlan({ clients: 20, rampMs: 5000, durationMs: 20_000 }); // steady 6 s..26 s

describe('churnPlan', () => {
  it('closes n a second, evenly spaced from half a step into the steady phase, round the clients', () => {
    const events = churnPlan(5, plan, 3000);
    expect(events[0]).toEqual({ atMs: 6100, client: 0 });
    expect(events[1]).toEqual({ atMs: 6300, client: 1 });
    expect(events[20]).toEqual({ atMs: 10_100, client: 0 });
    // the last close leaves 3 s to come back before the steady end
    expect(events.at(-1)!.atMs).toBeLessThanOrEqual(26_000 - 3000);
    expect(events).toHaveLength(85);
    const perClient = new Map<number, number>();
    for (const e of events) perClient.set(e.client, (perClient.get(e.client) ?? 0) + 1);
    expect(perClient.size).toBe(20);
    expect(Math.max(...perClient.values()) - Math.min(...perClient.values())).toBeLessThanOrEqual(1);
  });

  it('plans nothing without a rate or a steady phase long enough to come back', () => {
    expect(churnPlan(0, plan, 3000)).toEqual([]);
    expect(churnPlan(5, loadPlan({ clients: 5, rampMs: 0, durationMs: 2000 }), 3000)).toEqual([]);
  });

  it('splits into slices like the clients (global i in slice i mod n, local i / n)', () => {
    const events = churnPlan(5, plan, 3000);
    const parts = [0, 1, 2].map((index) => sliceChurn(events, { index, count: 3 }));
    expect(parts.reduce((a, p) => a + p.length, 0)).toBe(events.length);
    expect(parts[1][0]).toEqual({ atMs: 6300, client: 0 });
    expect(parts[2][0]).toEqual({ atMs: 6500, client: 0 });
    expect(parts[0][1]).toEqual({ atMs: 6700, client: 1 });
  });

  it('reads 5/s and 0.5/s, refuses the rest with the form', () => {
    const problems: string[] = [];
    expect(churnRate.parse('5/s', flagAt('--churn', problems), { env: {} })).toBe(5);
    expect(churnRate.parse(' 0.5 / s ', flagAt('--churn', problems), { env: {} })).toBe(0.5);
    expect(churnRate.parse(3, flagAt('churn', problems), { env: {} })).toBe(3);
    expect(problems).toEqual([]);
    expect(churnRate.parse('5', flagAt('--churn', problems), { env: {} })).toBeUndefined();
    expect(churnRate.parse('0/s', flagAt('--churn', problems), { env: {} })).toBeUndefined();
    expect(problems[0]).toMatch(/--churn must be <n>\/s such as 5\/s/);
    expect(problems[1]).toMatch(/--churn must be more than 0/);
  });
});

describe('churnGap: loss across a churn, apart from what the churn itself missed', () => {
  it('works the examples of its comment', () => {
    expect(churnGap(10_000, 10_400, 10_430, 11_000, 1000)).toEqual({ due: 0, lost: 0, missed: 0 });
    expect(churnGap(10_000, 10_400, 10_430, 12_000, 1000)).toEqual({ due: 1, lost: 1, missed: 0 });
    expect(churnGap(10_000, 10_400, 13_450, 14_000, 1000)).toEqual({ due: 3, lost: 0, missed: 3 });
    expect(churnGap(10_000, 12_600, 12_630, 13_000, 1000)).toEqual({ due: 2, lost: 1, missed: 1 });
  });

  it('counts as lost what the two connections book (lostAtEnd on the old, lostAtStart on the new)', () => {
    for (const [last, closed, started, first] of [[0, 900, 950, 2000], [0, 3100, 3120, 4000], [0, 300, 330, 5000], [0, 200, 8000, 8100]]) {
      const g = churnGap(last, closed, started, first, 1000);
      expect(g.lost).toBe(Math.min(g.due, lostAtEnd(closed - last, 1000) + lostAtStart(first - started, 1000)));
      expect(g.lost + g.missed).toBe(g.due);
    }
  });
});

const MB = 1024 * 1024;
const T0 = 1_730_000_000_000;
const series = (points: ResourcePoint[]): ResourceSeries => ({ source: 'pid', origin: 'pid 42', intervalMs: 1000, points, errors: [], errorCount: 0, notes: [] });
/** 5 connections opened each second from T0 for `n` s. */
const opens = (n: number, perSecond = 5) => Array.from({ length: n }, (_, i) => ({ t: T0 / 1000 + i, n: perSecond }));

describe('memory per connection opened', () => {
  it('counts connections opened up to a moment, its own second in proportion', () => {
    expect(openedBy([{ t: 100, n: 4 }, { t: 101, n: 6 }], 101_500)).toBe(7);
    expect(openedBy([{ t: 100, n: 4 }], 99_000)).toBe(0);
  });

  it('keeps what no later sample gave back (the lower envelope)', () => {
    expect(lowerEnvelope([80, 84, 88, 72, 74, 76, 75].map((v, t) => ({ t, v }))).map((p) => p.v)).toEqual([72, 72, 72, 72, 74, 75, 75]);
  });

  it('fits 200 KB per connection opened through a GC saw-tooth, and does not fit without enough opened', () => {
    // 40 MB + 200 KB per connection, plus garbage that piles up 3 MB and is collected every 6 s
    const pts = Array.from({ length: 20 }, (_, i) => ({ t: T0 + i * 1000 + 500, v: 40 * MB + (i * 5 + 2.5) * 200 * 1024 + ((i % 6) * 3 * MB) / 5 }));
    const fit = fitPerConnection(lowerEnvelope(pts), opens(20))!;
    expect(fit.opened).toBeCloseTo(95, 5);
    expect(fit.slope / 1024).toBeGreaterThan(150);
    expect(fit.slope / 1024).toBeLessThan(220);
    expect(fitPerConnection(pts, opens(20, 0.5))).toBeUndefined();
  });

  it('fails server_memory on growth per connection opened, passes a server that gives back what churn allocates', () => {
    const kept = series(Array.from({ length: 20 }, (_, i) => ({ t: T0 + i * 1000 + 500, cpuShare: 0.01, rssBytes: 60 * MB + i * 5 * 100 * 1024 })));
    const j = judgeMemoryPerConnection(kept, opens(20), T0, T0 + 20_000, 50 * 1024);
    expect(j.pass).toBe(false);
    expect(j.observed).toBe('100.0 KB per connection opened');
    expect(j.threshold).toBe('growth per connection opened < 50 KB');
    // churn garbage: climbs 4 MB and falls back every 5 s
    const clean = series(Array.from({ length: 20 }, (_, i) => ({ t: T0 + i * 1000 + 500, cpuShare: 0.01, rssBytes: 60 * MB + (i % 5) * MB })));
    expect(judgeMemoryPerConnection(clean, opens(20), T0, T0 + 20_000, 50 * 1024).pass).toBe(true);
    // without churn nothing is judged: a note, the trend stands
    const quiet = judgeMemoryPerConnection(kept, opens(20, 0.2), T0, T0 + 20_000, 50 * 1024);
    expect(quiet.pass).toBeUndefined();
    const trend: CriterionResult = { id: 'server_memory', status: 'pass', observed: 'slope 0.10 ± 0.01 MB/min, growth 0.1 %', threshold: 'slope < 1 MB/min and growth < 10.0 %', detail: 'fitted' };
    expect(withPerConnection(trend, quiet).status).toBe('pass');
    expect(withPerConnection(trend, quiet).detail).toMatch(/not judged: fewer than 20 connections opened/);
    const failed = withPerConnection(trend, j);
    expect(failed.status).toBe('fail');
    expect(failed.observed).toBe('slope 0.10 ± 0.01 MB/min, growth 0.1 %, 100.0 KB per connection opened');
    expect(failed.threshold).toBe('slope < 1 MB/min and growth < 10.0 % and growth per connection opened < 50 KB');
  });

  it('judges per connection from fewer samples than the trend needs, as a steady phase that lost a late sample', () => {
    // 15 samples of 20: the trend is skipped, the fit over ~75 connections opened stands
    const few = Array.from({ length: 15 }, (_, i) => ({ t: T0 + i * 1000 + 500, cpuShare: 0.01, rssBytes: 60 * MB + i * 5 * 100 * 1024 }));
    const j = judgeMemoryPerConnection(series(few), opens(20), T0, T0 + 20_000, 50 * 1024);
    expect(j.pass).toBe(false);
    const skippedTrend: CriterionResult = { id: 'server_memory', status: 'skipped', observed: '-', threshold: 'slope < 1 MB/min and growth < 10.0 %', detail: 'only 15 memory sample(s)' };
    expect(withPerConnection(skippedTrend, j).status).toBe('fail');
    const clean = judgeMemoryPerConnection(series(few.map((p) => ({ ...p, rssBytes: 60 * MB }))), opens(20), T0, T0 + 20_000, 50 * 1024);
    expect(clean.pass).toBe(true);
    expect(withPerConnection(skippedTrend, clean).observed).toBe('0.0 KB per connection opened');
    // too few to fit at all: a note naming the count
    const tooFew = judgeMemoryPerConnection(series(few.slice(0, 9)), opens(20), T0, T0 + 20_000, 50 * 1024);
    expect(tooFew.pass).toBeUndefined();
    expect(tooFew.detail).toMatch(/only 9 memory sample\(s\) in the steady phase, 10 needed/);
  });
});

describe('threads', () => {
  it('reads Threads from /proc/<pid>/status', () => {
    expect(parseThreads('Name:\tnode\nVmRSS:\t  1000 kB\nThreads:\t11\n')).toBe(11);
    expect(parseThreads('Name:\tzombie\n')).toBeUndefined();
  });

  it('reports threads per open connection and per connection opened', () => {
    // a server that starts a thread for every connection and never ends it
    const pts = Array.from({ length: 20 }, (_, i) => ({ t: T0 + i * 1000 + 500, cpuShare: 0, rssBytes: MB, threads: 10 + Math.round((i + 0.5) * 5) }));
    const points: SeriesPoint[] = opens(20).map((o) => ({ t: o.t, open: 20, opens: o.n, messages: {}, bytes: 0, disconnects: 0, reconnects: 0, latency: '' }));
    const f = threadFigures([series(pts)], points, T0, T0 + 20_000)!;
    expect(f.origin).toBe('pid 42');
    expect(f.start).toBe(13);
    expect(f.end).toBe(108);
    expect(f.perOpenConnection).toBeCloseTo(108 / 20, 5);
    expect(f.perConnectionOpened!).toBeCloseTo(1, 1);
    expect(f.connectionsOpened).toBe(100);
    expect(threadFigures([series(pts.map(({ threads: _, ...p }) => p))], points, T0, T0 + 20_000)).toBeUndefined();
  });
});
