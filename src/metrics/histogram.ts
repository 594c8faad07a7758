import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/**
 * The one place that owns histogram settings and their encoding. Values are
 * integers: times in microseconds, rates in bytes per second. Three
 * significant digits keep every percentile within 0.1 % of the true value,
 * and the compressed base64 form is what crosses threads and machines.
 */
const SETTINGS = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000_000, // one hour in µs; autoResize covers more
  numberOfSignificantValueDigits: 3,
  autoResize: true,
} as const;

export type { Histogram };

export function newHistogram(): Histogram {
  return hdr.build(SETTINGS);
}

/** Records a value, clamping below 0 to 0 (a clock error must not throw). */
export function record(h: Histogram, value: number): void {
  h.recordValue(value > 0 ? Math.round(value) : 0);
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded);
  // Decoding yields a fixed-range histogram; copy into our settings so that
  // merges of any two encodings behave the same.
  const h = newHistogram();
  h.add(decoded);
  return h;
}

/** Merges encoded histograms into a new encoding; the empty list gives an empty one. */
export function mergeEncoded(encoded: readonly string[]): string {
  const h = newHistogram();
  for (const e of encoded) h.add(decodeHistogram(e));
  return encodeHistogram(h);
}

export interface HistogramSummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Summaries made, by divisor and encoding: at most this many kept, the oldest dropped first. */
const SUMMARY_MEMO = 1024;
const summaries = new Map<string, HistogramSummary>();

/**
 * The summary of an encoded histogram, as `summarize(decodeHistogram(e))`
 * gives it (the same figures: a decoding has the same buckets), without the
 * copy, and remembered: a report judged again each second (the live view)
 * decodes only the histograms that changed. Returns a fresh object.
 */
export function summarizeEncoded(encoded: string | undefined, divisor = 1): HistogramSummary {
  if (!encoded) return summarize(newHistogram(), divisor);
  const key = `${divisor}|${encoded}`;
  let s = summaries.get(key);
  if (!s) {
    s = summarize(hdr.decodeFromCompressedBase64(encoded), divisor);
    summaries.set(key, s);
    if (summaries.size > SUMMARY_MEMO) summaries.delete(summaries.keys().next().value!);
  }
  return { ...s };
}

/** Percentiles of a histogram, scaled by `divisor` (1000 turns µs into ms). */
export function summarize(h: Histogram, divisor = 1): HistogramSummary {
  const count = h.totalCount;
  const at = (p: number) => (count === 0 ? 0 : h.getValueAtPercentile(p) / divisor);
  return {
    count,
    min: count === 0 ? 0 : h.minNonZeroValue / divisor,
    mean: count === 0 ? 0 : h.mean / divisor,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: count === 0 ? 0 : h.maxValue / divisor,
  };
}
