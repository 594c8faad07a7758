import { describe, expect, it } from 'vitest';
import { addEncoded, decodeForReading, decodeHistogram, encodeHistogram, encodeSummarized, meanOf, mergeEncoded, mergeSummarized, newHistogram, record, summarize, summarizeEncoded, valuesAtPercentiles } from '../../src/metrics/histogram.js';

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
    const h = newHistogram();
    addEncoded(h, parts[0], true);
    expect(summarizeEncoded(parts[0], 1000)).toEqual(summarize(decodeHistogram(parts[0]), 1000));
    expect(summarize(h, 1000)).toEqual(summarize(decodeHistogram(parts[0]), 1000));
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

describe('the cheaper paths give the library\'s figures', () => {
  const cases = [[], [0], [0, 0, 5], [1], [3e9], [5e9, 1], ...Array.from({ length: 60 }, (_, i) => values(i + 200, 1 + ((i * 41) % 500)))];

  it('adding an encoding is adding its decoded copy: the same counts, min and max', () => {
    for (const vs of cases) {
      const base = histogramOf(values(vs.length + 1, 30));
      const e = encodeHistogram(histogramOf(vs));
      const byCopy = newHistogram();
      byCopy.add(base);
      byCopy.add(decodeHistogram(e));
      const direct = newHistogram();
      direct.add(base);
      addEncoded(direct, e);
      expect(encodeHistogram(direct), JSON.stringify(vs.slice(0, 5))).toBe(encodeHistogram(byCopy));
      expect([direct.minNonZeroValue, direct.maxValue, direct.totalCount]).toEqual([byCopy.minNonZeroValue, byCopy.maxValue, byCopy.totalCount]);
    }
  });

  it('percentiles in one walk are the library\'s, one by one, 0 and 100 included', () => {
    const ps = [0, 10, 50, 50, 90, 99, 99.9, 99.99, 100];
    for (const vs of cases) {
      for (const h of [histogramOf(vs), decodeHistogram(encodeHistogram(histogramOf(vs)))]) {
        expect(valuesAtPercentiles(h, ps), JSON.stringify(vs.slice(0, 5))).toEqual(ps.map((p) => h.getValueAtPercentile(p)));
      }
    }
  });

  it('a decoding to read gives the copy\'s percentiles, maximum and count', () => {
    const ps = [0, 50, 90, 99, 99.9, 100];
    for (const vs of cases) {
      const e = encodeHistogram(histogramOf(vs));
      const read = decodeForReading(e);
      const copy = decodeHistogram(e);
      expect(valuesAtPercentiles(read, ps)).toEqual(ps.map((p) => copy.getValueAtPercentile(p)));
      expect([read.maxValue, read.totalCount]).toEqual([copy.maxValue, copy.totalCount]);
    }
  });
});
