import { describe, expect, it } from 'vitest';
import type { FallbackStats } from '../../src/metrics/fallback-polls.js';
import { decodeHistogram, encodeHistogram, newHistogram } from '../../src/metrics/histogram.js';
import type { ProbeReport } from '../../src/metrics/probe-results.js';
import { Recorder } from '../../src/metrics/recorder.js';
import type { ResourceSeries } from '../../src/metrics/resource-series.js';
import {
  mergeAll,
  mergeSnapshots,
  SAMPLE_CAP,
  SAMPLES_PER_KIND,
  SNAPSHOT_VERSION,
  sideSnapshot,
  upgradeSnapshot,
  type MetricsSnapshot,
  type SnapshotV1,
} from '../../src/metrics/snapshot.js';

const T0 = 1_700_000_000_000;

/** A process that saw `n` violations of each kind, `offset` ms after T0. */
function violations(kinds: readonly string[], n: number, offset: number): MetricsSnapshot {
  const r = new Recorder();
  for (let i = 0; i < n; i += 1) for (const k of kinds) r.sample(T0 + offset + i * 10, k, i, `${k} ${offset + i}`);
  return r.snapshot();
}

const countBy = (s: MetricsSnapshot) => {
  const out: Record<string, number> = {};
  for (const x of s.samples) out[x.kind] = (out[x.kind] ?? 0) + 1;
  return out;
};

describe('violation examples across a merge', () => {
  it('keeps the per-kind cap: two shards with 5 schema examples each merge to 5, the earliest', () => {
    const a = violations(['schema', 'invalid_json'], 8, 0);
    const b = violations(['schema'], 8, 5);
    expect(countBy(a)).toEqual({ schema: SAMPLES_PER_KIND, invalid_json: SAMPLES_PER_KIND });
    const m = mergeSnapshots(a, b);
    expect(countBy(m)).toEqual({ schema: SAMPLES_PER_KIND, invalid_json: SAMPLES_PER_KIND });
    // the counts still add: only the examples are capped
    expect(m.counters['violation:schema']).toBe(16);
    const schemaAt = m.samples.filter((x) => x.kind === 'schema').map((x) => x.at - T0);
    expect(schemaAt).toEqual([0, 5, 10, 15, 20]);
  });

  it('keeps the cap in all, and the same examples whatever the merge order', () => {
    const kinds = Array.from({ length: 12 }, (_, i) => `kind_${String(i).padStart(2, '0')}`);
    const parts = [violations(kinds, 6, 0), violations(kinds, 6, 3), violations(kinds.slice(6), 6, 1)];
    const left = mergeSnapshots(mergeSnapshots(parts[0], parts[1]), parts[2]);
    const right = mergeSnapshots(parts[0], mergeSnapshots(parts[1], parts[2]));
    const swapped = mergeSnapshots(parts[2], mergeSnapshots(parts[0], parts[1]));
    expect(left.samples.length).toBe(SAMPLE_CAP);
    expect(Math.max(...Object.values(countBy(left)))).toBe(SAMPLES_PER_KIND);
    expect(right.samples).toEqual(left.samples);
    expect(swapped.samples).toEqual(left.samples);
  });
});

function probes(startedAt: number, url = 'ws://t/stream', pass = true): ProbeReport {
  return {
    url,
    channel: 'block_updates',
    intervalMs: 2000,
    slackMs: 500,
    startedAt,
    endedAt: startedAt + 9000,
    connections: 1,
    interrupted: false,
    probes: [
      { name: 'app_ping', criterion: 'keepalive', pass, sent: '{"type":"ping"}', received: '{"type":"pong"}', at: startedAt + 10, elapsedMs: 2, detail: '' },
      { name: 'invalid_json', criterion: 'error_handling', pass: true, sent: 'not json', received: '{"type":"error"}', at: startedAt + 20, elapsedMs: 3, detail: '' },
    ],
  };
}

function resources(origin: string, from: number, n: number, errors = 0): ResourceSeries {
  return {
    source: origin.startsWith('pid') ? 'pid' : 'metrics',
    origin,
    intervalMs: 1000,
    points: Array.from({ length: n }, (_, i) => ({ t: from + i * 1000, cpuShare: 0.02, rssBytes: 50e6 + i })),
    errors: Array.from({ length: errors }, (_, i) => ({ t: from + i * 1000 + 500, message: `read ${i} failed` })),
    errorCount: errors,
    notes: [`${origin} note`],
  };
}

function fallback(from: number, polls: number, failed: number, ms: number): FallbackStats {
  const h = newHistogram();
  const points = Array.from({ length: polls }, (_, i) => (i < failed ? { t: from + i * 1000, ok: false, ms, reason: 'timeout' as const } : { t: from + i * 1000, ok: true, ms }));
  for (const p of points) h.recordValue(p.ms * 1000);
  return { url: 'http://t/snapshot', intervalMs: 1000, polls, ok: polls - failed, failures: failed ? { timeout: failed } : {}, latency: encodeHistogram(h), p50Ms: ms, p99Ms: ms, maxMs: ms, points };
}

const health = (eventLoopP99Ms: number, cpuShare: number) => ({ eventLoopP99Ms, eventLoopMaxMs: eventLoopP99Ms * 2, cpuShare, saturated: false });

describe('side measures in the snapshot', () => {
  const a = mergeSnapshots(violations(['schema'], 1, 0), sideSnapshot({
    probes: probes(T0),
    resources: [resources('pid 41', T0, 30, 2)],
    fallback: fallback(T0, 30, 1, 40),
    health: health(12, 0.4),
    clock: { offsetMs: 4, errorMs: 5, rttMs: 10, samples: 8 },
  }));
  const b = sideSnapshot({
    probes: probes(T0 + 2000, 'ws://t/stream', false),
    resources: [resources('pid 41', T0 + 30_000, 5), resources('http://t/metrics', T0, 10)],
    fallback: fallback(T0 + 500, 30, 0, 12),
    health: health(130, 0.2),
    clock: { offsetMs: 3.2, errorMs: 0.8, rttMs: 0.6, samples: 8 },
  });
  const c = sideSnapshot({ health: health(5, 0.9), fallback: fallback(T0 + 100, 3, 3, 4000) });

  it('merge like one snapshot of the whole', () => {
    const m = mergeSnapshots(a, b);
    expect(m.version).toBe(SNAPSHOT_VERSION);
    // probes join: every probe of both, in send order
    expect(m.probes?.probes).toHaveLength(4);
    expect(m.probes?.probes.map((p) => p.at - T0)).toEqual([10, 20, 2010, 2020]);
    expect(m.probes).toMatchObject({ startedAt: T0, connections: 2, channel: 'block_updates' });
    // resources stay per source; one source's points join by time
    expect(m.resources?.map((s) => `${s.origin} ${s.points.length}`)).toEqual(['http://t/metrics 10', 'pid 41 35']);
    expect(m.resources?.[1].errorCount).toBe(2);
    // fallback polls add, latency from all of them
    expect(m.fallback).toMatchObject({ polls: 60, ok: 59, failures: { timeout: 1 } });
    expect(decodeHistogram(m.fallback!.latency).totalCount).toBe(60);
    expect(m.fallback!.points).toHaveLength(60);
    // health takes the worst, figure by figure; the clock the tightest bound
    expect(m.health).toMatchObject({ eventLoopP99Ms: 130, cpuShare: 0.4, saturated: true });
    expect(m.clock).toEqual({ offsetMs: 3.2, errorMs: 0.8, rttMs: 0.6, samples: 8 });
    // the clients' own metrics are untouched
    expect(m.samples).toEqual(a.samples);
  });

  it('merge associatively and commutatively', () => {
    const left = mergeSnapshots(mergeSnapshots(a, b), c);
    const right = mergeSnapshots(a, mergeSnapshots(b, c));
    const swapped = mergeSnapshots(c, mergeSnapshots(b, a));
    const view = (s: MetricsSnapshot) => ({
      probes: s.probes,
      resources: s.resources,
      fallback: { ...s.fallback, latency: decodeHistogram(s.fallback!.latency).totalCount },
      health: s.health,
      clock: s.clock,
    });
    expect(view(right)).toEqual(view(left));
    expect(view(swapped)).toEqual(view(left));
    expect(mergeAll([a, b, c]).fallback?.polls).toBe(63);
  });

  it('a snapshot without them merges to the other side as it is', () => {
    const m = mergeSnapshots(violations(['schema'], 1, 0), b);
    expect(m.probes).toEqual(b.probes);
    expect(m.resources).toEqual(b.resources);
    expect(m.fallback).toEqual(b.fallback);
    expect('health' in violations(['schema'], 1, 0)).toBe(false);
  });

  it('reads a version 1 snapshot with what its report kept beside it', () => {
    const { version: _, ...rest } = violations(['schema'], 2, 0);
    const old: SnapshotV1 = { ...rest, version: 1 };
    const up = upgradeSnapshot(old, { probes: probes(T0), health: health(3, 0.1) });
    expect(up.version).toBe(SNAPSHOT_VERSION);
    expect(up.samples).toEqual(old.samples);
    expect(up.probes?.probes).toHaveLength(2);
    expect(up.health?.eventLoopP99Ms).toBe(3);
    expect('fallback' in up).toBe(false);
  });
});
