import { describe, expect, it } from 'vitest';
import type { Point } from '../../src/metrics/slope.js';
import { collectionFloors, judgeMemoryGrowth, NEVER_FALLING_MIN_SPAN_MS, theilSen } from '../../src/verdict/memory-floors.js';
import { judgeMemory, memoryTrend } from '../../src/verdict/memory-trend.js';
import type { ResourcePoint } from '../../src/metrics/resource-series.js';

const MB = 1024 * 1024;
const T0 = 1_730_000_000_000;
const BOUNDS = { slopeMBPerMin: 1, growthShare: 0.1 };

/** One sample a second for `n` s. */
const series = (n: number, v: (i: number) => number): Point[] => Array.from({ length: n }, (_, i) => ({ t: T0 + i * 1000, v: v(i) }));
const asPoints = (s: Point[]): ResourcePoint[] => s.map((p) => ({ t: p.t, cpuShare: null, rssBytes: p.v }));

function judge(s: Point[]) {
  const trend = memoryTrend(asPoints(s), s[0].t, s[s.length - 1].t)!;
  return judgeMemoryGrowth(s, trend, BOUNDS, 'RSS');
}

/** A GC saw-tooth: `amp` MB of garbage filled over `period` s then collected, on top of `kept(i)`. */
const sawtooth = (period: number, amp: number, kept: (i: number) => number) => (i: number) => kept(i) + ((i % period) / period) * amp * MB;

describe('collectionFloors', () => {
  it('finds the floor of each tooth, over one sample or several', () => {
    const s = [100, 104, 108, 101, 100, 104, 109, 100].map((v, i) => ({ t: i * 5000, v }));
    expect(collectionFloors(s)).toEqual([{ t: 20_000, v: 100 }, { t: 35_000, v: 100 }]);
  });

  it('takes the lowest floor of one episode (collections within 10 s, as a G1 mixed cycle)', () => {
    // a real G1 old generation, MB: a mixed collection at +3 s, promotion, a second at +7 s; the next episode 40 s on
    const mb = [28, 28, 28, 14.9, 17.9, 17.9, 17.9, 17.6, 20, 24, 24, 26, 28];
    const s = [...mb, ...mb].map((v, i) => ({ t: i * 1000 + (i >= mb.length ? 40_000 : 0), v: v * MB }));
    expect(collectionFloors(s).map((f) => [f.t, f.v / MB])).toEqual([[3000, 14.9], [56_000, 14.9]]);
  });

  it('sees no collection in noise under the fall share', () => {
    expect(collectionFloors(series(60, (i) => 50 * MB + (i % 3) * 50_000))).toEqual([]);
  });
});

describe('theilSen', () => {
  it('is not pulled by one deep floor', () => {
    const pts = [10, 10, 10, 2, 10, 10].map((v, i) => ({ t: i * 1000, v }));
    expect(theilSen(pts).slope).toBe(0);
  });
});

describe('judgeMemoryGrowth', () => {
  it('passes a saw-tooth without a leak, whatever the phase the window starts in', () => {
    for (const offset of [0, 3, 6]) {
      const r = judge(series(60, (i) => sawtooth(9, 20, () => 200 * MB)(i + offset)));
      expect(r.status, r.reason).toBe('pass');
      expect(r.basis).toBe('floors');
      expect(Math.abs(r.slopeMBPerMin)).toBeLessThan(0.01);
    }
  });

  it('fails a leak of 2 MB/min under a 20 MB saw-tooth that a least-squares line reads as flat', () => {
    // 15 s teeth, the window starting 6 s into one: the line through every sample reads -0.24 MB/min
    const s = series(61, (i) => sawtooth(15, 20, () => 200 * MB + (i * 2 * MB) / 60)(i + 6));
    expect(memoryTrend(asPoints(s), s[0].t, s[s.length - 1].t)!.slopeMBPerMin).toBeLessThan(0);
    const r = judge(s);
    expect(r.status, r.reason).toBe('fail');
    expect(r.basis).toBe('floors');
    expect(r.slopeMBPerMin).toBeCloseTo(2, 1);
    expect(r.reason).toMatch(/^the floors after 4 collections rose 2\.00 MB\/min over 45 s/);
  });

  it('passes a heap that fills its committed size and plateaus, never falling', () => {
    // 40 MB filled over the first 25 s (fast, then slower), then flat: 90 s
    const r = judge(series(90, (i) => 100 * MB + 40 * MB * (1 - Math.exp(-i / 8))));
    expect(r.status, r.reason).toBe('pass');
    expect(r.basis).toBe('levelled');
    expect(r.reason).toMatch(/never fell but levelled off/);
  });

  it('calls growth that never falls inconclusive on a short window, and a leak once the window is long enough', () => {
    const linear = (n: number) => series(n, (i) => 100 * MB + (i * 3 * MB) / 60);
    const short = judge(linear(60));
    expect(short.status).toBe('skipped');
    expect(short.basis).toBe('too-short');
    expect(short.reason).toMatch(/never fell \(no collection gave memory back, as with a JVM.*600 s of steady phase are needed/);
    const long = judge(linear(NEVER_FALLING_MIN_SPAN_MS / 1000 + 1));
    expect(long.status, long.reason).toBe('fail');
    expect(long.basis).toBe('rising');
    expect(long.slopeMBPerMin).toBeCloseTo(3, 5);
  });

  it('does not call a long growth that is slowing down a leak', () => {
    // never falls, 10 min, still rising at the end but at well under half its mean rate
    const r = judge(series(NEVER_FALLING_MIN_SPAN_MS / 1000 + 1, (i) => 100 * MB + 50 * MB * Math.log(1 + i / 2)));
    expect(r.status, r.reason).toBe('skipped');
    expect(r.reason).toMatch(/is slowing/);
  });

  it('is inconclusive on a short window that rose and never fell (the simulator at 20,000 clients)', () => {
    // 60 s rising 24 MB/min from 129 MB; its next major GC, after the window, took it from 153 to 96 MB
    const r = judge(series(61, (i) => 129 * MB + (i * 24 * MB) / 60));
    expect(r.status, r.reason).toBe('skipped');
    expect(r.basis).toBe('too-short');
  });

  it('is inconclusive when memory rose and one collection is all the window shows', () => {
    // 60 s rising 30 MB/min, a 5 % fall at +40 s, then rising again
    const r = judge(series(61, (i) => (i < 40 ? 100 * MB + (i * 30 * MB) / 60 : 114 * MB + ((i - 40) * 30 * MB) / 60)));
    expect(r.status, r.reason).toBe('skipped');
    expect(r.basis).toBe('too-few-floors');
    expect(r.reason).toMatch(/only 1 collection\(s\) showed a floor \(114\.0 MB at \+40 s\)/);
  });

  it('passes a flat window that shows no collection at all', () => {
    const r = judge(series(30, (i) => 50 * MB + (i % 3) * 100_000));
    expect(r.status).toBe('pass');
    expect(r.basis).toBe('window');
  });
});

describe('judgeMemory (the figure judged)', () => {
  const point = (i: number, rss: number, heap?: number, live?: number): ResourcePoint => ({
    t: T0 + i * 1000, cpuShare: null, rssBytes: rss,
    ...(heap === undefined ? {} : { heapBytes: heap }),
    ...(live === undefined ? {} : { heapLiveBytes: live }),
  });

  it('judges the floors of the JVM old generation, not an RSS that never falls', () => {
    // RSS committed and rising as a JVM's does; the old generation saw-tooths (mixed collections) over a flat 60 MB kept
    const pts = Array.from({ length: 60 }, (_, i) => point(i, 300 * MB + i * MB, sawtooth(7, 80, () => 60 * MB)(i)));
    const r = judgeMemory(pts, T0, T0 + 59_000, BOUNDS)!;
    expect(r.figure).toBe('heap');
    expect(r.growth.status, r.growth.reason).toBe('pass');
  });

  it('prefers the heap after major collections when it changed often enough, and fails it rising', () => {
    // live data stepping up 1 MB every 10 s (6 MB/min), the old generation saw-toothing
    const pts = Array.from({ length: 60 }, (_, i) => point(i, 300 * MB, sawtooth(7, 80, () => 60 * MB)(i), 40 * MB + Math.floor(i / 10) * MB));
    const r = judgeMemory(pts, T0, T0 + 59_000, BOUNDS)!;
    expect(r.figure).toBe('heap-live');
    expect(r.growth.status).toBe('fail');
    expect(r.growth.slopeMBPerMin).toBeCloseTo(6, 5);
    expect(r.growth.reason).toMatch(/^the heap after 6 major collections rose 6\.00 MB\/min/);
  });

  it('falls back to the heap in use when the heap after collection hardly changed', () => {
    const pts = Array.from({ length: 60 }, (_, i) => point(i, 300 * MB, sawtooth(7, 80, () => 60 * MB)(i), 40 * MB));
    expect(judgeMemory(pts, T0, T0 + 59_000, BOUNDS)!.figure).toBe('heap');
  });
});
