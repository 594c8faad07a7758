import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/engine/run.js';
import { encodeHistogram, newHistogram } from '../../src/metrics/histogram.js';
import type { MetricsSnapshot, SideMeasures, SnapshotV1 } from '../../src/metrics/snapshot.js';
import { buildReport, type Report } from '../../src/verdict/report.js';
import { mergeReports } from '../../src/verdict/merge.js';
import { fixtureRun, T0 } from '../reporters/fixture.js';

/**
 * `merge` on reports built the way shards build them, without sockets: the
 * fixture run as shard i of n, with side measures where a test puts them.
 */
function shard(index: number, count: number, side: SideMeasures = {}, at: { laterMs?: number; url?: string } = {}): Report {
  const run: RunResult = fixtureRun();
  run.settings = { ...run.settings, shard: { index, count } };
  run.shard = { index, count };
  run.snapshot = { ...run.snapshot, ...side };
  const later = at.laterMs ?? 0;
  run.startedAt += later;
  run.endedAt += later;
  run.steadyStartMs += later;
  run.steadyEndMs += later;
  if (at.url) run.target = { ...run.target, url: at.url };
  return buildReport(run);
}

const latency = () => {
  const h = newHistogram();
  for (let i = 0; i < 20; i += 1) h.recordValue(8000 + i * 100);
  return encodeHistogram(h);
};

const shard2Side: SideMeasures = {
  probes: {
    url: 'ws://127.0.0.1:40123/api/v11/live/stream',
    startedAt: T0 + 100,
    endedAt: T0 + 9100,
    connections: 1,
    interrupted: false,
    probes: [{ name: 'app_ping', criterion: 'keepalive', pass: true, sent: '{"type":"ping"}', received: '{"type":"pong"}', at: T0 + 200, elapsedMs: 2, detail: '' }],
  },
  resources: [{
    source: 'metrics',
    origin: 'http://127.0.0.1:40123/metrics',
    intervalMs: 1000,
    points: Array.from({ length: 20 }, (_, i) => ({ t: T0 + 3000 + i * 700, cpuShare: 0.03, rssBytes: 60e6 })),
    errors: [],
    errorCount: 0,
    notes: [],
  }],
  fallback: {
    url: 'http://127.0.0.1:40123/api/v11/live/snapshot',
    intervalMs: 1000,
    polls: 20,
    ok: 20,
    failures: {},
    latency: latency(),
    p50Ms: 9,
    p99Ms: 10,
    maxMs: 10,
    points: Array.from({ length: 20 }, (_, i) => ({ t: T0 + i * 1000, ok: true, ms: 9 })),
  },
};

describe('merge of shard reports', () => {
  it('takes probes, resources and fallback from shard 2 too, not from shard 1 only', () => {
    const merged = mergeReports([shard(0, 2), shard(1, 2, shard2Side)]);
    expect(merged.probes?.probes.map((p) => p.name)).toEqual(['app_ping']);
    expect(merged.resources?.origin).toBe('http://127.0.0.1:40123/metrics');
    expect(merged.fallback?.polls).toBe(20);
    expect(merged.snapshot.resources).toHaveLength(1);
    const status = Object.fromEntries(merged.criteria.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({ keepalive: 'pass', fallback: 'pass', server_cpu: 'pass' });
    expect(merged.verdict).not.toBe('inconclusive');
  });

  it('joins what every shard measured: both shards polled, both counted', () => {
    const merged = mergeReports([shard(0, 2, { fallback: shard2Side.fallback }), shard(1, 2, shard2Side)]);
    expect(merged.fallback?.polls).toBe(40);
    expect(merged.probes?.probes).toHaveLength(1);
  });

  it('is inconclusive with a shard missing, and names it', () => {
    const merged = mergeReports([shard(0, 3), shard(2, 3)]);
    expect(merged.verdict).toBe('inconclusive');
    expect(merged.verdictReason).toMatch(/shard\(s\) 2\/3 missing \(merged 2 of 3\)/);
    expect(merged.verdictReason).not.toContain('3/3');
  });

  it('is inconclusive even when the merged shards failed: the whole is unknown', () => {
    const merged = mergeReports([shard(1, 2)]);
    expect(merged.verdict).toBe('inconclusive');
    expect(merged.verdictReason).toContain('1/2 missing');
  });

  it('is inconclusive for shards that never ran together: no common steady window', () => {
    const a = shard(0, 2);
    const b = shard(1, 2, {}, { laterMs: a.steady.ms + 60_000 });
    expect(mergeReports([a, b]).verdict).not.toBe('pass'); // the fixture alone passes
    const merged = mergeReports([a, b]);
    expect(merged.verdict).toBe('inconclusive');
    expect(merged.verdictReason).toMatch(/^the shards never ran together: no common steady window \(shard 1\/2 steady \d\d:\d\d:\d\d-\d\d:\d\d:\d\d UTC, shard 2\/2 steady /);
  });

  it('merges shards whose steady phases overlap, though they started apart', () => {
    const a = shard(0, 2);
    expect(mergeReports([a, shard(1, 2, {}, { laterMs: a.steady.ms / 2 })]).verdict).toBe(mergeReports([a, shard(1, 2)]).verdict);
    expect(mergeReports([a, shard(1, 2, {}, { laterMs: a.steady.ms / 2 })]).verdict).not.toBe('inconclusive');
  });

  it('is inconclusive for shards that ran against different targets, naming each', () => {
    const merged = mergeReports([shard(0, 2), shard(1, 2, {}, { url: 'ws://127.0.0.1:40999/api/v11/live/stream' })]);
    expect(merged.verdict).toBe('inconclusive');
    expect(merged.verdictReason).toContain('the shards ran against different targets (shard 1/2: its own embedded simulator at ws://127.0.0.1:40123/api/v11/live/stream, shard 2/2: its own embedded simulator at ws://127.0.0.1:40999/api/v11/live/stream)');
  });

  it('reads the version 1 snapshot of an older report, the side measures beside it', () => {
    const current = shard(1, 2, shard2Side);
    const { probes: _p, resources: _r, fallback: _f, health: _h, clock: _c, ...v1 } = current.snapshot;
    const old = { ...current, snapshot: { ...v1, version: 1 } as SnapshotV1 as unknown as MetricsSnapshot };
    const merged = mergeReports([shard(0, 2), old]);
    expect(merged.probes?.probes).toHaveLength(1);
    expect(merged.resources?.origin).toBe('http://127.0.0.1:40123/metrics');
    expect(merged.fallback?.polls).toBe(20);
    expect(merged.clock).toEqual(current.clock);
  });
});
