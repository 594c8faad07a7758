import { describe, expect, it } from 'vitest';
import { chaosPlan } from '../../src/scenario/chaos-plan.js';
import { loadPlan } from '../../src/scenario/plan.js';
import { parseSlice, sliceCount, slicePlan, sliceRounds } from '../../src/scenario/slice.js';

describe('slices', () => {
  it('split clients round-robin so the slices add up to the whole', () => {
    expect([0, 1, 2].map((index) => sliceCount(10, { index, count: 3 }))).toEqual([4, 3, 3]);
    expect([0, 1, 2].map((index) => sliceCount(2, { index, count: 3 }))).toEqual([1, 1, 0]);
  });

  it('split the plan at every moment, not only at the peak', () => {
    const plan = loadPlan({ clients: 997, rampMs: 5000, durationMs: 10_000 });
    for (const t of [0, 1, 777, 2500, 4999, 6000]) {
      const parts = [0, 1, 2, 3].map((index) => slicePlan(plan, { index, count: 4 }).openAt(t));
      expect(parts.reduce((a, b) => a + b, 0)).toBe(plan.openAt(t));
    }
  });

  it('give each cut to the slice that holds the client, at its local index', () => {
    const plan = loadPlan({ clients: 100, rampMs: 0, durationMs: 30_000 });
    const rounds = chaosPlan({ cutShare: 0.1, mode: 'both' }, plan, 5000);
    const slices = [0, 1, 2].map((index) => sliceRounds(rounds, { index, count: 3 })[0]);
    expect(slices.reduce((a, r) => a + r.clients.length, 0)).toBe(10);
    const back = slices.flatMap((r, index) => r.clients.map((c) => c * 3 + index)).sort((a, b) => a - b);
    expect(back).toEqual([...rounds[0].clients].sort((a, b) => a - b));
  });

  it('parse i/n, 1-based', () => {
    expect(parseSlice('2/4')).toEqual({ index: 1, count: 4 });
    expect(parseSlice('0/4')).toBeUndefined();
    expect(parseSlice('5/4')).toBeUndefined();
    expect(parseSlice('x')).toBeUndefined();
  });
});
