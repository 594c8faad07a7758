import { describe, expect, it } from 'vitest';
import { addGap, judgeCadence, lostAtEnd, lostAtStart, newCadence, openGapIsStall, splitGap } from '../../src/checks/cadence.js';

describe('splitGap', () => {
  it('treats an on-time gap as one gap, nothing lost', () => {
    expect(splitGap(1003, 1000)).toEqual({ parts: 1, lost: 0 });
  });
  it('treats a gap of about two intervals as one lost message and two on-time gaps', () => {
    expect(splitGap(2010, 1000)).toEqual({ parts: 2, lost: 1 });
    expect(splitGap(2990, 1000)).toEqual({ parts: 3, lost: 2 });
  });
  it('keeps a late message that is not a whole number of intervals as one long gap', () => {
    expect(splitGap(1600, 1000)).toEqual({ parts: 1, lost: 1 });
    expect(splitGap(1400, 1000)).toEqual({ parts: 1, lost: 0 });
  });
  it('treats a stall as one long gap and counts what it lost', () => {
    expect(splitGap(20_000, 2000)).toEqual({ parts: 1, lost: 9 });
  });
});

describe('edges', () => {
  it('accepts a first message within one interval on either phase', () => {
    expect(lostAtStart(300, 1000)).toBe(0); // broadcast server, global phase
    expect(lostAtStart(1030, 1000)).toBe(0); // per-client phase
    expect(lostAtStart(2100, 1000)).toBe(1);
  });
  it('tolerates the one message in flight at the end', () => {
    expect(lostAtEnd(1900, 1000)).toBe(0);
    expect(lostAtEnd(3500, 1000)).toBe(2);
    expect(openGapIsStall(3999, 1000)).toBe(false);
    expect(openGapIsStall(4000, 1000)).toBe(true);
  });
});

describe('judgeCadence', () => {
  const run = (gaps: number[], interval = 1000) => {
    const s = newCadence();
    for (const g of gaps) addGap(s, g, interval);
    return judgeCadence(s, interval);
  };
  it('passes a steady stream', () => {
    expect(run(Array.from({ length: 30 }, (_, i) => 1000 + (i % 2 ? 4 : -4))).ok).toBe(true);
  });
  it('fails a drifting stream on its mean', () => {
    const j = run(Array.from({ length: 30 }, () => 1100));
    expect(j.ok).toBe(false);
    expect(j.meanMs).toBeCloseTo(1100);
    expect(j.reason).toContain('mean gap');
  });
  it('fails one stall among thirty gaps (p99 > 1.5x)', () => {
    const j = run([...Array.from({ length: 29 }, () => 1000), 6000]);
    expect(j.ok).toBe(false);
    expect(j.longShare).toBeCloseTo(1 / 30);
  });
  it('fails a doubled stream (p1 < 0.5x)', () => {
    const j = run(Array.from({ length: 30 }, (_, i) => (i % 2 ? 30 : 970)));
    expect(j.ok).toBe(false);
    expect(j.shortShare).toBeCloseTo(0.5);
  });
  it('judges the tails but not the mean of a short stream', () => {
    expect(run([1000, 828, 914]).ok).toBe(true);
    expect(run([1000, 1600, 914]).ok).toBe(false);
  });
  it('has nothing to judge without gaps', () => {
    expect(run([]).ok).toBe(true);
  });
});
