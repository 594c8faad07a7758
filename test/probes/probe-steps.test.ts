import { describe, expect, it } from 'vitest';
import { judgeDoubling, judgeStopped } from '../../src/engine/probe-steps.js';

const I = 2000;
const W = 2 * I + 500;
const T = 1_730_000_000_000;

describe('judgeDoubling', () => {
  it('passes one stream at either phase', () => {
    expect(judgeDoubling([{ at: T + 100, timestamp: T + 90 }, { at: T + 2100, timestamp: T + 2090 }], I, W).pass).toBe(true);
    const three = [0, 2000, 4000].map((d) => ({ at: T + 300 + d, timestamp: T + 290 + d }));
    expect(judgeDoubling(three, I, W, { at: T - 1700, timestamp: T - 1710 })).toMatchObject({ pass: true, count: 3, maxSingle: 3, minGapMs: 2000 });
  });

  it('fails two streams 300 ms apart on the gap', () => {
    const two = [0, 300, 2000, 2300].map((d) => ({ at: T + 100 + d, timestamp: T + 100 + d }));
    const j = judgeDoubling(two, I, W);
    expect(j).toMatchObject({ pass: false, count: 4, minGapMs: 300 });
    expect(j.detail).toMatch(/the stream doubled$/);
  });

  it('fails two streams exactly half a period apart on the count', () => {
    const half = [0, 1000, 2000, 3000, 4000].map((d) => ({ at: T + 200 + d, timestamp: T + 200 + d }));
    expect(judgeDoubling(half, I, W)).toMatchObject({ pass: false, count: 5, minGapMs: 1000 });
  });

  it('fails the same tick sent twice (one timestamp), even when the frames arrive apart', () => {
    const dup = [{ at: T + 100, timestamp: T + 50 }, { at: T + 1400, timestamp: T + 50 }];
    expect(judgeDoubling(dup, I, W)).toMatchObject({ pass: false, minGapMs: 0 });
  });

  it('judges on server timestamps, not on frames bunched by the network', () => {
    const bunched = [{ at: T + 2000, timestamp: T + 1000 }, { at: T + 2010, timestamp: T + 3000 }];
    expect(judgeDoubling(bunched, I, W).pass).toBe(true);
    // without timestamps only receive times are left
    expect(judgeDoubling(bunched.map((a) => ({ at: a.at })), I, W).pass).toBe(false);
  });

  it('fails an empty window: the stream stopped', () => {
    expect(judgeDoubling([], I, W)).toMatchObject({ pass: false, count: 0 });
  });
});

describe('judgeStopped', () => {
  it('allows a straggler within one interval + slack, and fails a later message', () => {
    expect(judgeStopped([{ at: T + 300 }], T, I, 500, W)).toMatchObject({ pass: true, stragglers: 1, late: 0 });
    expect(judgeStopped([{ at: T + 2500 }], T, I, 500, W).pass).toBe(true);
    const kept = judgeStopped([{ at: T + 300 }, { at: T + 2700 }, { at: T + 4300 }], T, I, 500, W);
    expect(kept).toMatchObject({ pass: false, stragglers: 1, late: 2 });
    expect(kept.detail).toMatch(/first at 2\.7 s\): the channel kept streaming$/);
  });
});
