import { describe, expect, it } from 'vitest';
import { describeFinding, newRising, observeRising, tickSignature, TickLedger } from '../../src/checks/consistency.js';

describe('TickLedger', () => {
  it('accepts every client seeing the same tick', () => {
    const l = new TickLedger();
    for (let c = 0; c < 10; c += 1) expect(l.observe('tps_update', 1000, 5000, 'a')).toBeUndefined();
  });
  it('flags two clients seeing different values for the same tick, naming the field, the values and the clients', () => {
    const l = new TickLedger();
    const fields = ['currentTPS', 'peakTPS'];
    l.observe('tps_update', 1000, 5000, tickSignature({ currentTPS: 801234, peakTPS: 800000 }, fields), 3);
    const f = l.observe('tps_update', 1000, 5000, tickSignature({ currentTPS: 790112, peakTPS: 800000 }, fields), 7)!;
    expect(f).toMatchObject({ kind: 'tick_mismatch', ts: 5000, fields: [0] });
    expect(describeFinding(f, 'tps_update', 1000, fields)).toEqual([
      { key: 'tps_update currentTPS', detail: 'tps_update currentTPS: client 3 saw 801234, client 7 saw 790112 at ts 5000' },
    ]);
  });
  it('names every field that differs, one finding each', () => {
    const l = new TickLedger();
    const fields = ['a', 'b', 'c'];
    l.observe('t', 1000, 5000, tickSignature({ a: 1, b: 2, c: 3 }, fields), 0);
    const f = l.observe('t', 1000, 5000, tickSignature({ a: 9, b: 2, c: 8 }, fields), 1)!;
    expect(describeFinding(f, 't', 1000, fields).map((x) => x.key)).toEqual(['t a', 't c']);
  });
  it('allows a value to change once within a window (per-client phases), not three versions, and names the field drawn per client', () => {
    const l = new TickLedger();
    const fields = ['currentTPS', 'peakTPS'];
    const sig = (tps: number) => tickSignature({ currentTPS: tps, peakTPS: 800000 }, fields);
    expect(l.observe('tps_update', 1000, 5100, sig(801234), 1)).toBeUndefined();
    expect(l.observe('tps_update', 1000, 5600, sig(790112), 2)).toBeUndefined();
    const f = l.observe('tps_update', 1000, 5900, sig(812345), 4)!;
    expect(f).toMatchObject({ kind: 'values_per_client', ts: 5000, fields: [0] });
    expect(describeFinding(f, 'tps_update', 1000, fields)[0].detail)
      .toBe('tps_update currentTPS: 3 versions in the 1000 ms window from ts 5000: client 1 saw 801234, client 2 saw 790112, client 4 saw 812345');
    expect(l.observe('tps_update', 1000, 5950, sig(1), 5)).toBeUndefined(); // flagged once per window
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
