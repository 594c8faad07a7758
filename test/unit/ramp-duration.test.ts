import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/scenario/duration.js';
import { rampPlan } from '../../src/scenario/ramp.js';
import { BenchError } from '../../src/errors.js';

describe('rampPlan', () => {
  it('spreads clients evenly from 0, the last one step before the ramp ends', () => {
    expect(rampPlan(4, 1000)).toEqual([0, 250, 500, 750]);
  });
  it('opens everyone at once without a ramp', () => {
    expect(rampPlan(3, 0)).toEqual([0, 0, 0]);
  });
  it('never schedules past the ramp and never goes backwards', () => {
    const plan = rampPlan(997, 5000);
    expect(plan).toHaveLength(997);
    for (let i = 1; i < plan.length; i += 1) expect(plan[i]).toBeGreaterThanOrEqual(plan[i - 1]);
    expect(plan[plan.length - 1]).toBeLessThan(5000);
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['250ms', 250],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['0', 0],
    ['0.5s', 500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, '--duration')).toBe(ms);
  });
  it.each(['', 'abc', '5 minutes', '10x', '-5s', 's'])('rejects %j with a usage error naming the flag', (text) => {
    try {
      parseDuration(text, '--duration');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BenchError);
      expect((err as BenchError).code).toBe('LSB_USAGE');
      expect((err as Error).message).toContain('--duration');
    }
  });
  it('refuses a bare number, which could be ms or s, with a hint naming both', () => {
    expect(() => parseDuration('300', '--duration')).toThrow('--duration "300": give a unit, e.g. 300ms or 300s');
    expect(() => parseDuration(2, 'ramp')).toThrow('ramp "2": give a unit');
  });
  it('formats back to the shortest unit', () => {
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(250)).toBe('250ms');
  });
});
