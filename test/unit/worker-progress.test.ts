import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../../src/engine/load-driver.js';
import { sumProgress } from '../../src/engine/worker-pool.js';

const tick = (over: Partial<RunProgress>): RunProgress => ({
  phase: 'ramp',
  elapsedMs: 1000,
  open: 0,
  planned: 50,
  messagesPerSec: 0,
  latencyP99Ms: null,
  violations: 0,
  disconnects: 0,
  connectFailures: 0,
  ...over,
});

describe('the workers\' progress summed', () => {
  it('plans every slice\'s clients, even a worker that has not ticked yet', () => {
    const p = sumProgress([tick({ open: 40, messagesPerSec: 7, latencyP99Ms: 12 }), undefined], 100);
    expect(p.planned).toBe(100);
    expect(p.open).toBe(40);
    expect(p.messagesPerSec).toBe(7);
    expect(p.latencyP99Ms).toBe(12);
  });

  it('sums what the workers say, and takes the latest time and the worst p99', () => {
    const p = sumProgress([tick({ open: 50, elapsedMs: 3000, latencyP99Ms: 9, violations: 1 }), tick({ open: 45, elapsedMs: 2900, latencyP99Ms: 30, violations: 2 })], 100);
    expect(p).toMatchObject({ open: 95, planned: 100, elapsedMs: 3000, latencyP99Ms: 30, violations: 3 });
  });
});
