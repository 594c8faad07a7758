import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogram, record, type Histogram } from '../../src/metrics/histogram.js';

/** The library's own way, as record() used to call it: the reference the fast path must match. */
function libraryRecord(h: Histogram, value: number): void {
  h.recordValue(value > 0 ? Math.round(value) : 0);
}

function counts(h: Histogram): number[] {
  const out: number[] = [];
  const x = h as unknown as { countsArrayLength: number; getCountAtIndex(i: number): number };
  for (let i = 0; i < x.countsArrayLength; i += 1) out.push(x.getCountAtIndex(i));
  return out;
}

function same(values: readonly number[]): void {
  const fast = newHistogram();
  const slow = newHistogram();
  for (const v of values) {
    record(fast, v);
    libraryRecord(slow, v);
  }
  expect(counts(fast)).toEqual(counts(slow));
  expect([fast.totalCount, fast.minNonZeroValue, fast.maxValue]).toEqual([slow.totalCount, slow.minNonZeroValue, slow.maxValue]);
  expect(encodeHistogram(fast)).toBe(encodeHistogram(slow));
}

describe('record (the integer slot lookup)', () => {
  it('puts every value around each power of two where the library does', () => {
    const values: number[] = [0, -5, 0.4, 0.5, 1, 1.49, 1.5];
    for (let k = 1; k <= 33; k += 1) for (const d of [-2, -1, -0.5, 0, 1, 2]) values.push(2 ** k + d);
    same(values);
  });

  it('agrees on random values from microseconds to hours, and on past the range (a resize)', () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const values = Array.from({ length: 20_000 }, () => Math.floor(10 ** (rand() * 9.5)) + rand());
    // a value past the one-hour range resizes the histogram; the fast path must follow the new size
    values.splice(10_000, 0, 5e9, 2 ** 31 + 7, 7e12);
    same(values);
  });

  it('counts one value once', () => {
    const h = newHistogram();
    record(h, 1234.4);
    expect(h.totalCount).toBe(1);
    expect(h.getValueAtPercentile(50)).toBe(1234);
  });
});
