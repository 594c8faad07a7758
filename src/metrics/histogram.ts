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

/** The parts of hdr-histogram-js's JsHistogram that recordValue itself uses. */
interface RecordInternals {
  readonly unitMagnitude: number;
  readonly subBucketHalfCountMagnitude: number;
  readonly subBucketHalfCount: number;
  readonly countsArrayLength: number;
  incrementCountAtIndex(index: number): void;
  updateMinAndMax(value: number): void;
  incrementTotalCount(): void;
}

/**
 * Records a value, clamping below 0 to 0 (a clock error must not throw).
 *
 * The library finds a value's slot with floating point (log2, two pow, a
 * division): twice per message on the hot path (latency and gap), that
 * was the harness's largest cost per message after parsing. For values
 * under 2^31 (35 minutes in µs) the same slot is found with integer bit
 * operations, and the histogram updated by the library's own methods; a
 * larger value, or one past the histogram's current range (which resizes
 * it), goes the library's way. test/unit/histogram-record.test.ts holds the
 * two to the same counts.
 *   1 -> bucket 0, slot 1; 2047 -> bucket 0, slot 2047; 2048 -> bucket 1, slot 2048 (sub-bucket 1024)
 */
export function record(h: Histogram, value: number): void {
  const v = value > 0 ? Math.round(value) : 0;
  if (v >= 0x80000000) {
    h.recordValue(v);
    return;
  }
  const x = h as unknown as RecordInternals;
  // floor(log2(v)) is 31 - clz32(v) for 0 < v < 2^31; the library's max(..., 0) maps 0 and small values to bucket 0
  const bucket = Math.max(31 - Math.clz32(v) - x.subBucketHalfCountMagnitude - x.unitMagnitude, 0);
  const index = ((bucket + 1) << x.subBucketHalfCountMagnitude) + (v >>> (bucket + x.unitMagnitude)) - x.subBucketHalfCount;
  if (index >= x.countsArrayLength) {
    h.recordValue(v);
    return;
  }
  x.incrementCountAtIndex(index);
  x.updateMinAndMax(v);
  x.incrementTotalCount();
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

/**
 * Adds an encoding's counts to `h`, and returns the decoding. The same
 * counts, minimum and maximum as adding its decodeHistogram copy: the
 * library adds a histogram of another range value by value at each slot's
 * value, as the copy was made, but only up to the decoding's last slot
 * (a few thousand for times in ms), where the copy is then added over all
 * of ours (23,552 slots) and costs a 90 KB array. With `remember`, the
 * encoding's summary is kept (summarizeEncoded): for a closed second's
 * latency, which is judged next.
 */
export function addEncoded(h: Histogram, encoded: string, remember = false): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded);
  h.add(decoded);
  if (remember && !summaries.has(encoded)) keep(encoded, summarize(decoded, 1));
  return decoded;
}

/** Merges encoded histograms into a new encoding; the empty list gives an empty one. */
function merged(encoded: readonly string[]): Histogram {
  const h = newHistogram();
  for (const e of encoded) addEncoded(h, e);
  return h;
}

export function mergeEncoded(encoded: readonly string[]): string {
  return encodeHistogram(merged(encoded));
}

/** mergeEncoded, its summary remembered (encodeSummarized): for a merge that is judged next. */
export function mergeSummarized(encoded: readonly string[]): string {
  return encodeSummarized(merged(encoded));
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

/**
 * Summaries made, by encoding (in the histogram's own unit; a divisor only
 * scales them): at most this many kept, the least recently read dropped
 * first. More than an hour of per-second points (metrics/live-book.ts keeps
 * an hour): a judgement of the run so far reads every point's, and a memo
 * smaller than that read in order would miss on each one.
 */
const SUMMARY_MEMO = 8192;
const summaries = new Map<string, HistogramSummary>();

/** A summary in another unit (1000 turns µs into ms); a fresh object. */
export function scaleSummary(s: HistogramSummary, divisor: number): HistogramSummary {
  if (divisor === 1) return { ...s };
  return { count: s.count, min: s.min / divisor, mean: s.mean / divisor, p50: s.p50 / divisor, p90: s.p90 / divisor, p99: s.p99 / divisor, p999: s.p999 / divisor, max: s.max / divisor };
}

function keep(encoded: string, s: HistogramSummary): void {
  summaries.delete(encoded);
  summaries.set(encoded, s);
  if (summaries.size > SUMMARY_MEMO) summaries.delete(summaries.keys().next().value!);
}

/**
 * The summary of an encoded histogram, as `summarize(decodeHistogram(e))`
 * gives it (the same figures: a decoding has the same buckets), without the
 * copy, and remembered: a report judged again each second (the live view)
 * decodes only the histograms that changed. Returns a fresh object.
 */
export function summarizeEncoded(encoded: string | undefined, divisor = 1): HistogramSummary {
  // absent is empty: no 90 KB histogram made to say so (a report asks for a dozen absent ones)
  if (!encoded) return { ...EMPTY_SUMMARY };
  let s = summaries.get(encoded);
  if (s) keep(encoded, s);
  else {
    s = summarize(hdr.decodeFromCompressedBase64(encoded), 1);
    keep(encoded, s);
  }
  return scaleSummary(s, divisor);
}

/**
 * Encodes `h` and remembers its summary under that encoding: for who encodes
 * a histogram that is about to be judged (the live book, each second), so
 * the judgement need not decode what was just encoded. `summary`, when
 * the caller has it already: decodedSummary(h).
 */
export function encodeSummarized(h: Histogram, summary?: HistogramSummary): string {
  const encoded = encodeHistogram(h);
  keep(encoded, summary ?? decodedSummary(h));
  return encoded;
}

/**
 * What a decoding of `h` would summarize to: the same counts, so the same
 * mean and percentiles, but min and max as the buckets' edges (a decoding
 * knows the buckets, not the values recorded). test/unit/histogram-memo.test.ts
 * holds the two equal. For a figure that must equal the report's, which is
 * read from an encoding, without encoding `h`.
 */
export function decodedSummary(h: Histogram): HistogramSummary {
  const s = summarize(h, 1);
  if (s.count === 0) return s;
  // JsHistogram's own bucket edges (not in the library's Histogram interface)
  const edges = h as unknown as { lowestEquivalentValue(v: number): number; highestEquivalentValue(v: number): number };
  return { ...s, min: s.min === 0 ? 0 : edges.lowestEquivalentValue(h.minNonZeroValue), max: edges.highestEquivalentValue(h.maxValue) };
}

/** 2^n for a bucket's step: `2 ** n` with a variable n is a call to pow per recorded slot (perf: the live view's largest native cost). */
const POW2 = Array.from({ length: 64 }, (_, n) => 2 ** n);

/**
 * The library's `mean`, by the same sum in the same order (each recorded
 * bucket's median value times its count, lowest first), over the counts
 * array directly: the library walks it with an iterator object per bucket,
 * 100 times slower, and the live view summarizes each second. A slot's
 * median is worked out as the library's valueFromIndex and
 * medianEquivalentValue do: slot i of bucket b holds [v, v + 2^(b+u)), v =
 * sub * 2^(b+u), and its median is v + floor(2^(b+u) / 2).
 * test/unit/histogram-memo.test.ts holds the two equal.
 */
export function meanOf(h: Histogram): number {
  if (h.totalCount === 0) return 0;
  const x = h as unknown as { countsArrayLength: number; subBucketHalfCount: number; unitMagnitude: number; getCountAtIndex(i: number): number };
  const half = x.subBucketHalfCount;
  const unit = x.unitMagnitude;
  let total = 0;
  let seen = 0;
  // up to the last recorded bucket: the rest of the array is empty
  for (let i = 0; i < x.countsArrayLength && seen < h.totalCount; i++) {
    const c = x.getCountAtIndex(i);
    if (c === 0) continue;
    let bucket = Math.floor(i / half) - 1;
    let sub = (i % half) + half;
    if (bucket < 0) {
      sub -= half;
      bucket = 0;
    }
    const step = POW2[bucket + unit];
    total += (sub * step + Math.floor(step / 2)) * c;
    seen += c;
  }
  return total / h.totalCount;
}

/** What the library computes first in getValueAtPercentile: the count a percentile must reach. */
function countAtPercentile(percentile: number, total: number): number {
  const fp = (Math.min(percentile, 100) / 100) * total;
  // the library's ulp: fp math leaves the count one ulp over
  const ulp = 2 ** (Math.floor(Math.log2(fp)) - 52);
  return Math.max(Math.ceil(fp - ulp), 1);
}

/**
 * `h.getValueAtPercentile(p)` for each of rising `percentiles`, the same
 * values, in one walk of the counts: the library walks them from the start
 * for each (the latency distribution asks for 50 on each judgement).
 * test/unit/histogram-memo.test.ts holds the two equal.
 */
export function valuesAtPercentiles(h: Histogram, percentiles: readonly number[]): number[] {
  const x = h as unknown as { countsArrayLength: number; getCountAtIndex(i: number): number; valueFromIndex(i: number): number; lowestEquivalentValue(v: number): number; highestEquivalentValue(v: number): number };
  const total = h.totalCount;
  const out: number[] = [];
  let i = 0;
  let sum = x.getCountAtIndex(0);
  for (const p of percentiles) {
    const want = countAtPercentile(p, total);
    while (sum < want && i < x.countsArrayLength - 1) sum += x.getCountAtIndex(++i);
    if (sum < want) out.push(0);
    else out.push(p === 0 ? x.lowestEquivalentValue(x.valueFromIndex(i)) : x.highestEquivalentValue(x.valueFromIndex(i)));
  }
  return out;
}

const SUMMARY_PERCENTILES = [50, 90, 99, 99.9] as const;
const EMPTY_SUMMARY: Readonly<HistogramSummary> = Object.freeze({ count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });

/** A histogram's count, mean, percentiles and extremes, scaled by `divisor` (1000 turns µs into ms). */
export function summarize(h: Histogram, divisor = 1): HistogramSummary {
  const count = h.totalCount;
  if (count === 0) return { ...EMPTY_SUMMARY };
  const [p50, p90, p99, p999] = valuesAtPercentiles(h, SUMMARY_PERCENTILES).map((v) => v / divisor);
  return {
    count,
    // only zeros recorded: the library's "no non-zero value" is a huge number, not a minimum
    min: h.maxValue === 0 ? 0 : h.minNonZeroValue / divisor,
    mean: meanOf(h) / divisor,
    p50,
    p90,
    p99,
    p999,
    max: h.maxValue / divisor,
  };
}

/**
 * A decoding to read figures from (percentiles, the maximum): the same
 * figures as decodeHistogram's copy (the buckets are the same) without the
 * copy; not to record into or add to another encoding's range.
 */
export function decodeForReading(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded);
}
