import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/metrics/histogram.js';
import { Recorder } from '../../src/metrics/recorder.js';
import { FINDINGS_PER_KIND, mergeAll, mergeSnapshots, type MetricsSnapshot } from '../../src/metrics/snapshot.js';

function recorderWith(seed: number): MetricsSnapshot {
  const r = new Recorder();
  for (let i = 0; i < 200; i += 1) {
    const v = ((i * 7919 + seed * 104729) % 100_000) + 1;
    r.observe('latency_us', v);
    r.frame(1_700_000_000_000 + (i % 5) * 1000, 'tps_update', 100);
  }
  r.open(1_700_000_000_000, seed);
  r.sample(1_700_000_000_000 + seed, 'schema', seed, `bad ${seed}`);
  return r.snapshot();
}

describe('findings', () => {
  const T = 1_700_000_000_000;
  /** A process that saw `n` mismatches of each field, from `from` on. */
  function shard(from: number, fields: string[], n: number): MetricsSnapshot {
    const r = new Recorder();
    for (let i = 0; i < n; i++) for (const f of fields) r.sample(T + from + i, 'tick_mismatch', i, `tps_update ${f}: client ${i} saw 1, client 9 saw 2 at ts ${T + from + i}`, `tps_update ${f}`);
    return r.snapshot();
  }

  it('keep the count in counters and the first example of each finding in samples, however many came', () => {
    const s = shard(0, ['currentTPS', 'latency'], 1000);
    expect(s.counters['violation:tick_mismatch']).toBe(2000);
    expect(s.counters['finding:tick_mismatch tps_update currentTPS']).toBe(1000);
    expect(s.samples.map((x) => [x.finding, x.at])).toEqual([['tps_update currentTPS', T], ['tps_update latency', T]]);
  });

  it('merge across processes as they would have in one: counts add, the earliest example of each stays', () => {
    const a = shard(10, ['currentTPS'], 5);
    const b = shard(5, ['currentTPS', 'latency'], 5);
    const m = mergeSnapshots(a, b);
    expect(m.counters['finding:tick_mismatch tps_update currentTPS']).toBe(10);
    expect(m.samples.map((x) => [x.finding, x.at])).toEqual([['tps_update currentTPS', T + 5], ['tps_update latency', T + 5]]);
    expect(mergeSnapshots(b, a).samples).toEqual(m.samples);
  });

  it('leave room for other kinds: a kind keeps examples of FINDINGS_PER_KIND findings, apart from its plain examples', () => {
    const fields = Array.from({ length: 12 }, (_, i) => `f${i}`);
    const s = shard(0, fields, 2);
    expect(s.samples).toHaveLength(FINDINGS_PER_KIND);
    expect(s.counters['finding:tick_mismatch tps_update f11']).toBe(2);
    const r = new Recorder();
    for (let i = 0; i < 7; i++) r.sample(T + i, 'tick_mismatch', 0, 'tps_update at 1 (no field named)');
    const merged = mergeSnapshots(s, r.snapshot());
    expect(merged.samples.filter((x) => x.finding === undefined)).toHaveLength(5);
    expect(merged.samples.filter((x) => x.finding !== undefined)).toHaveLength(FINDINGS_PER_KIND);
  });
});

describe('mergeSnapshots', () => {
  const a = recorderWith(1);
  const b = recorderWith(2);
  const c = recorderWith(3);

  it('adds counters and histogram counts exactly', () => {
    const m = mergeAll([a, b, c]);
    expect(m.counters.frames).toBe(600);
    expect(decodeHistogram(m.histograms.latency_us!).totalCount).toBe(600);
    expect(m.series.find((p) => p.t === 1_700_000_000)?.open).toBe(6);
  });

  it('is associative and commutative', () => {
    const left = mergeSnapshots(mergeSnapshots(a, b), c);
    const right = mergeSnapshots(a, mergeSnapshots(b, c));
    const swapped = mergeSnapshots(c, mergeSnapshots(b, a));
    const view = (s: MetricsSnapshot) => ({
      counters: s.counters,
      p99: decodeHistogram(s.histograms.latency_us!).getValueAtPercentile(99),
      max: decodeHistogram(s.histograms.latency_us!).maxValue,
      series: s.series.map((p) => [p.t, p.open, p.bytes, decodeHistogram(p.latency).totalCount]),
      samples: s.samples,
    });
    expect(view(left)).toEqual(view(right));
    expect(view(left)).toEqual(view(swapped));
  });

  it('gives the same percentiles as one histogram of all values', () => {
    const one = new Recorder();
    for (const seed of [1, 2, 3]) for (let i = 0; i < 200; i += 1) one.observe('latency_us', ((i * 7919 + seed * 104729) % 100_000) + 1);
    const whole = decodeHistogram(one.snapshot().histograms.latency_us!);
    const merged = decodeHistogram(mergeAll([a, b, c]).histograms.latency_us!);
    for (const p of [50, 90, 99, 99.9]) expect(merged.getValueAtPercentile(p)).toBe(whole.getValueAtPercentile(p));
  });
});

describe('the per-second series', () => {
  it('has a point for every second, carrying the open count over quiet ones, so merged processes add up', () => {
    const t0 = 1_700_000_000_000;
    const a = new Recorder();
    a.open(t0, 5);
    a.open(t0 + 3000, 5); // the seconds between had no tick and no frame here
    const b = new Recorder();
    for (let i = 0; i <= 3; i += 1) b.open(t0 + i * 1000, 7);
    const merged = mergeSnapshots(a.snapshot(), b.snapshot());
    expect(a.snapshot().series.map((p) => p.t)).toEqual([0, 1, 2, 3].map((i) => t0 / 1000 + i));
    expect(merged.series.map((p) => p.open)).toEqual([12, 12, 12, 12]);
  });
});

describe('Recorder latency', () => {
  it('gives the whole run the sum of its per-second histograms', () => {
    const r = new Recorder();
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 300; i += 1) r.latency(t0 + (i % 3) * 1000 + i, 1000 + i * 37);
    const s = r.snapshot();
    const whole = decodeHistogram(s.histograms.latency_us!);
    const perSecond = s.series.map((p) => decodeHistogram(p.latency));
    expect(whole.totalCount).toBe(300);
    expect(perSecond.reduce((n, h) => n + h.totalCount, 0)).toBe(300);
    expect(whole.maxValue).toBe(Math.max(...perSecond.map((h) => h.maxValue)));
    expect(whole.getValueAtPercentile(50)).toBeGreaterThan(1000 + 100 * 37 - 200);
  });
});
