import { mergeEncoded } from './histogram.js';
import type { Counters, EncodedHistograms, ViolationKind } from './names.js';

/**
 * A snapshot of metrics is the one thing that crosses a thread or machine
 * boundary. Everything in it merges associatively: counters add, histograms
 * add bucket by bucket, per-second points add by second, and samples are the
 * first `SAMPLE_CAP` of the union in a total order.
 */
export const SNAPSHOT_VERSION = 1;
export const SAMPLE_CAP = 50;

export interface SeriesPoint {
  /** Epoch second the point covers. */
  t: number;
  /** Clients open at the end of the second. */
  open: number;
  /** Frames received during the second, by message type. */
  messages: Record<string, number>;
  /** Wire bytes received during the second. */
  bytes: number;
  /** Connections lost that the harness did not cause. */
  disconnects: number;
  /** Connections that came back after a loss or a cut. */
  reconnects: number;
  /** One-way latency of the second's messages (encoded histogram, µs). */
  latency: string;
}

/** One example of a violation, kept so that a report can show what went wrong. */
export interface Sample {
  /** Epoch ms. */
  at: number;
  kind: ViolationKind;
  client: number;
  detail: string;
}

export interface MetricsSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** By the checked names of names.ts; absent is 0. */
  counters: Counters;
  /** Encoded HDR histograms (µs for times, B/s for rates). */
  histograms: EncodedHistograms;
  series: SeriesPoint[];
  samples: Sample[];
}

export function emptySnapshot(): MetricsSnapshot {
  return { version: SNAPSHOT_VERSION, counters: {}, histograms: {}, series: [], samples: [] };
}

function addRecords<T extends Partial<Record<string, number>>>(a: T, b: T): T {
  const out: Partial<Record<string, number>> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + (v ?? 0);
  return out as T;
}

function mergePoints(a: SeriesPoint, b: SeriesPoint): SeriesPoint {
  return {
    t: a.t,
    open: a.open + b.open,
    messages: addRecords(a.messages, b.messages),
    bytes: a.bytes + b.bytes,
    disconnects: a.disconnects + b.disconnects,
    reconnects: a.reconnects + b.reconnects,
    latency: mergeEncoded([a.latency, b.latency]),
  };
}

function compareSamples(x: Sample, y: Sample): number {
  return x.at - y.at || x.client - y.client || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0) || (x.detail < y.detail ? -1 : x.detail > y.detail ? 1 : 0);
}

/** Merges two snapshots; associative and commutative. */
export function mergeSnapshots(a: MetricsSnapshot, b: MetricsSnapshot): MetricsSnapshot {
  const histograms: EncodedHistograms = { ...a.histograms };
  for (const [k, v] of Object.entries(b.histograms) as [keyof EncodedHistograms, string][]) {
    const prev = histograms[k];
    histograms[k] = prev !== undefined ? mergeEncoded([prev, v]) : v;
  }
  const byT = new Map<number, SeriesPoint>();
  for (const p of [...a.series, ...b.series]) {
    const prev = byT.get(p.t);
    byT.set(p.t, prev ? mergePoints(prev, p) : p);
  }
  return {
    version: SNAPSHOT_VERSION,
    counters: addRecords(a.counters, b.counters),
    histograms,
    series: [...byT.values()].sort((x, y) => x.t - y.t),
    samples: [...a.samples, ...b.samples].sort(compareSamples).slice(0, SAMPLE_CAP),
  };
}

export function mergeAll(snapshots: readonly MetricsSnapshot[]): MetricsSnapshot {
  return snapshots.reduce(mergeSnapshots, emptySnapshot());
}
