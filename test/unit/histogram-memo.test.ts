import { describe, expect, it } from 'vitest';
import { decodeHistogram, decodeSummarized, encodeHistogram, encodeSummarized, meanOf, mergeEncoded, mergeSummarized, newHistogram, record, summarize, summarizeEncoded } from '../../src/metrics/histogram.js';

/** A seeded spread of values over many magnitudes (deterministic: a failure shows again). */
function values(seed: number, n: number): number[] {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const scale = 10 ** (1 + next() * 8);
  return Array.from({ length: n }, () => next() ** 3 * scale);
}

function histogramOf(vs: readonly number[]) {
  const h = newHistogram();
  for (const v of vs) record(h, v);
  return h;
}

describe('the mean', () => {
  it("is the library's mean to the last bit, on recorded and on decoded histograms", () => {
    for (let i = 0; i < 80; i++) {
      const h = histogramOf(values(100 + i, 1 + ((i * 53) % 700)));
      expect(meanOf(h)).toBe(h.mean);
      const d = decodeHistogram(encodeHistogram(h));
      expect(meanOf(d)).toBe(d.mean);
    }
    expect(meanOf(newHistogram())).toBe(0);
  });
});

describe('summaries remembered by encoding', () => {
  it('a summary remembered at encoding equals the one a decoding gives, edges of min and max included', () => {
    const cases = [[], [0], [0, 0, 5], [1], [3e9], [5e9, 1], [0.4], ...Array.from({ length: 60 }, (_, i) => values(i + 1, 1 + ((i * 37) % 400)))];
    for (const vs of cases) {
      const h = histogramOf(vs);
      // a fresh encoding of a copy: the same string, summarized by decoding
      const byDecoding = summarize(decodeHistogram(encodeHistogram(h)), 1000);
      const e = encodeSummarized(h);
      expect(summarizeEncoded(e, 1000), JSON.stringify(vs.slice(0, 5))).toEqual(byDecoding);
    }
  });

  it('a merge remembered equals the merge decoded, and a decoding remembered equals a summary of it', () => {
    const parts = [values(7, 300), values(8, 50), values(9, 1)].map((vs) => encodeHistogram(histogramOf(vs)));
    const plain = mergeEncoded(parts);
    const expected = summarize(decodeHistogram(plain), 1);
    expect(summarizeEncoded(mergeSummarized(parts))).toEqual(expected);
    const h = decodeSummarized(parts[0]);
    expect(summarizeEncoded(parts[0], 1000)).toEqual(summarize(h, 1000));
  });

  it('only zeros recorded: min is 0, not the library\'s "none" marker', () => {
    expect(summarize(histogramOf([0, 0]), 1).min).toBe(0);
    expect(summarizeEncoded(encodeHistogram(histogramOf([0]))).min).toBe(0);
  });

  it('a divisor scales the remembered figures, and callers get their own copy', () => {
    const e = encodeHistogram(histogramOf(values(3, 200)));
    const us = summarizeEncoded(e, 1);
    const ms = summarizeEncoded(e, 1000);
    expect(ms.p99).toBe(us.p99 / 1000);
    expect(ms.count).toBe(us.count);
    ms.p99 = -1;
    expect(summarizeEncoded(e, 1000).p99).toBe(us.p99 / 1000);
  });
});
