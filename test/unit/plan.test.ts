import { describe, expect, it } from 'vitest';
import { loadPlan, STEADY_SETTLE_MS } from '../../src/scenario/plan.js';

describe('loadPlan', () => {
  it('follows the ramp, then holds for the duration after a settle time', () => {
    const p = loadPlan({ clients: 10, rampMs: 5000, durationMs: 30_000 });
    expect(p.peak).toBe(10);
    expect(p.steadyStartMs).toBe(5000 + STEADY_SETTLE_MS);
    expect(p.steadyEndMs).toBe(p.steadyStartMs + 30_000);
    expect(p.totalMs).toBe(p.steadyEndMs);
    expect([0, 499, 500, 2600, 4500, 5000, 20_000].map((t) => p.openAt(t))).toEqual([1, 1, 2, 6, 10, 10, 10]);
  });

  it('opens every client at once without a ramp', () => {
    expect(loadPlan({ clients: 7, rampMs: 0, durationMs: 1000 }).openAt(0)).toBe(7);
  });

  it('takes the hold at the peak as the steady phase of a staged run', () => {
    const p = loadPlan({ clients: 1, rampMs: 0, durationMs: 1, stages: [{ durationMs: 10_000, clients: 100 }, { durationMs: 60_000, clients: 100 }, { durationMs: 10_000, clients: 0 }] });
    expect(p.peak).toBe(100);
    expect(p.steadyStartMs).toBe(10_000 + STEADY_SETTLE_MS);
    expect(p.steadyEndMs).toBe(70_000);
    expect(p.totalMs).toBe(80_000);
    expect([0, 5000, 10_000, 40_000, 75_000, 80_000].map((t) => p.openAt(t))).toEqual([0, 50, 100, 100, 50, 0]);
  });

  it('gives a staged run without a hold an empty steady phase, not a negative one', () => {
    const p = loadPlan({ clients: 1, rampMs: 0, durationMs: 1, stages: [{ durationMs: 5000, clients: 20 }, { durationMs: 5000, clients: 0 }] });
    expect(p.steadyEndMs).toBeGreaterThanOrEqual(p.steadyStartMs);
    expect(p.steadyEndMs - p.steadyStartMs).toBe(0);
  });
});
