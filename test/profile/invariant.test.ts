import { describe, expect, it } from 'vitest';
import { compileInvariant, invariantValues, InvariantError } from '../../src/profile/invariant.js';

describe('invariants', () => {
  it('judges comparisons, arithmetic and word operators over payload fields', () => {
    const inv = compileInvariant('currentTPS <= peakTPS');
    expect(inv.fields).toEqual(['currentTPS', 'peakTPS']);
    expect(inv.check({ currentTPS: 5, peakTPS: 7 })).toBe(true);
    expect(inv.check({ currentTPS: 8, peakTPS: 7 })).toBe(false);
    const both = compileInvariant('price <= high and price >= low');
    expect(both.check({ price: 5, high: 6, low: 4 })).toBe(true);
    expect(both.check({ price: 7, high: 6, low: 4 })).toBe(false);
    expect(compileInvariant('a + b == total').check({ a: 2, b: 3, total: 5 })).toBe(true);
    expect(compileInvariant('not (x > 3) or y == "ok"').check({ x: 5, y: 'ok' })).toBe(true);
    expect(compileInvariant('inner.v > 1').check({ inner: { v: 2 } })).toBe(true);
  });

  it('cannot judge a payload without the field, and says so instead of failing it', () => {
    const inv = compileInvariant('a < b');
    expect(inv.check({ a: 1 })).toBeUndefined();
    expect(inv.check({ a: 'x', b: 2 })).toBeUndefined();
  });

  it('names the values it read', () => {
    const inv = compileInvariant('currentTPS <= peakTPS');
    expect(invariantValues(inv, { currentTPS: 801000, peakTPS: 800000 })).toBe('currentTPS=801000, peakTPS=800000');
  });

  it('refuses code: calls, computed access, prototypes, syntax errors with the offset', () => {
    for (const text of ['constructor.constructor("x")()', 'a[0] > 1', 'process.exit(1)', '[1,2]', 'a > 1; b < 2', 'a | b']) {
      expect(() => compileInvariant(text), text).toThrow(InvariantError);
    }
    try {
      compileInvariant('a >= ');
      expect.unreachable();
    } catch (e) {
      expect((e as InvariantError).index).toBe(5);
    }
    // a field named like a prototype member is read as an own property only
    expect(compileInvariant('toString == 1').check({})).toBeUndefined();
    expect(compileInvariant('__proto__ == 1').check({})).toBeUndefined();
  });
});
