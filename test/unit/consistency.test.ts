import { describe, expect, it } from 'vitest';
import { newRising, observeRising, TickLedger } from '../../src/checks/consistency.js';

describe('TickLedger', () => {
  it('accepts every client seeing the same tick', () => {
    const l = new TickLedger();
    for (let c = 0; c < 10; c += 1) expect(l.observe('tps_update', 1000, 5000, 'a')).toBeUndefined();
  });
  it('flags two clients seeing different values for the same tick', () => {
    const l = new TickLedger();
    l.observe('tps_update', 1000, 5000, 'a');
    expect(l.observe('tps_update', 1000, 5000, 'b')).toBe('tick_mismatch');
  });
  it('allows a value to change once within a window (per-client phases), not three versions', () => {
    const l = new TickLedger();
    expect(l.observe('tps_update', 1000, 5100, 'a')).toBeUndefined();
    expect(l.observe('tps_update', 1000, 5600, 'b')).toBeUndefined();
    expect(l.observe('tps_update', 1000, 5900, 'c')).toBe('values_per_client');
    expect(l.observe('tps_update', 1000, 5950, 'd')).toBeUndefined(); // flagged once per window
  });
  it('forgets old ticks when pruned', () => {
    const l = new TickLedger();
    l.observe('tps_update', 1000, 1000, 'a');
    l.observe('tps_update', 1000, 100_000, 'x');
    l.prune(5000);
    expect(l.observe('tps_update', 1000, 1000, 'b')).toBeUndefined();
  });
});

describe('observeRising', () => {
  it('accepts a height that rises by one per block', () => {
    const s = newRising();
    expect([10, 11, 12, 13].map((v) => observeRising(s, v))).toEqual([undefined, undefined, undefined, undefined]);
  });
  it('flags a height stuck over three blocks, once', () => {
    const s = newRising();
    expect([12345, 12345, 12345, 12345].map((v) => observeRising(s, v))).toEqual([undefined, undefined, 'stuck', undefined]);
  });
  it('flags a height going back', () => {
    const s = newRising();
    observeRising(s, 12);
    expect(observeRising(s, 11)).toBe('went_back');
  });
});
