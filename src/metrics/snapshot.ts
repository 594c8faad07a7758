import { bestClock, type ClockEstimate } from './clock-estimate.js';
import { mergeFallbackStats, type FallbackStats } from './fallback-polls.js';
import { combineHealth, type HarnessHealth } from './harness-health.js';
import { mergeEncoded } from './histogram.js';
import type { Counters, EncodedHistograms, ViolationKind } from './names.js';
import { mergeProbeReports, type ProbeReport } from './probe-results.js';
import { mergeResourceSources, type ResourceSeries } from './resource-series.js';
import { mergeBrowserRuns, type BrowserRun } from './browser-results.js';

/**
 * A snapshot of metrics is the one thing that crosses a thread or machine
 * boundary: worker process to coordinator, shard's report.json to `merge`.
 * Everything in it merges associatively, so a merge of the shards' snapshots
 * is the snapshot of the whole run: counters add, histograms add bucket by
 * bucket, per-second points add by second, samples are the first
 * `SAMPLES_PER_KIND` of each kind and `SAMPLE_CAP` in all of the union in a
 * total order, probe results join, resource series stay per source, fallback
 * polls add, harness health takes the worst, and the clock the best bound.
 *
 * Version 2 added probes, resources, fallback, health and clock (version 1
 * left them beside the snapshot, in the report); `upgradeSnapshot` reads both.
 */
export const SNAPSHOT_VERSION = 2;
/** Violation examples kept in all, and of each kind, so one flood of a defect cannot crowd out the others. */
export const SAMPLE_CAP = 50;
export const SAMPLES_PER_KIND = 5;
/**
 * Examples kept of each finding (one root cause within a kind; its count is
 * the `finding:` counter), and findings with an example per kind: a stream
 * whose every field is drawn per client still shows most of them, while the
 * other kinds keep their room under SAMPLE_CAP.
 */
export const SAMPLES_PER_FINDING = 1;
export const FINDINGS_PER_KIND = 10;

/** The cap's key of a finding's examples, apart from the kind's own: "tick_mismatch\u0000reading celsius". */
export function sampleKey(kind: string, finding: string): string {
  return `${kind}\u0000${finding}`;
}

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
  /** Connections opened during the second, every kind (absent in reports before churn). */
  opens?: number;
  /** Connections the harness cut on purpose (absent in older snapshots). */
  cuts?: number;
  /** Connections the harness closed for churn (absent in older snapshots). */
  churns?: number;
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
  /** The finding within the kind (e.g. `reading celsius`), when the violation has one; counted as `finding:<kind> <finding>`. */
  finding?: string;
}

export interface MetricsSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** By the checked names of names.ts; absent is 0. */
  counters: Counters;
  /** Encoded HDR histograms (µs for times, B/s for rates). */
  histograms: EncodedHistograms;
  series: SeriesPoint[];
  samples: Sample[];
  /** What the protocol probe client found; absent when no probes ran. */
  probes?: ProbeReport;
  /** The target's CPU and memory, one series per source; absent when none was sampled. */
  resources?: ResourceSeries[];
  /** Every poll of the REST fallback; absent when none was polled. */
  fallback?: FallbackStats;
  /** The load generator's own health; absent when no client process ran. */
  health?: HarnessHealth;
  /** Clock offset to the target; absent when no pong came. */
  clock?: ClockEstimate;
  /** What real browsers saw of the frontend page (`--page`); absent without one. */
  browsers?: BrowserRun[];
}

/** The measurements beside the clients' metrics, each absent when not made. */
export type SideMeasures = Pick<MetricsSnapshot, 'probes' | 'resources' | 'fallback' | 'health' | 'clock' | 'browsers'>;

export function emptySnapshot(): MetricsSnapshot {
  return { version: SNAPSHOT_VERSION, counters: {}, histograms: {}, series: [], samples: [] };
}

/** The side measures that are there: an absent one leaves no key behind. */
function present(side: SideMeasures): SideMeasures {
  const out: SideMeasures = {};
  for (const k of ['probes', 'resources', 'fallback', 'health', 'clock', 'browsers'] as const) if (side[k] !== undefined) Object.assign(out, { [k]: side[k] });
  return out;
}

/** A snapshot of nothing but the given side measures, to merge with the clients' own. */
export function sideSnapshot(side: SideMeasures): MetricsSnapshot {
  return { ...emptySnapshot(), ...present(side) };
}

/** A snapshot as an older report.json holds it: version 1 had no side measures. */
export interface SnapshotV1 extends Omit<MetricsSnapshot, 'version' | keyof SideMeasures> {
  version: 1;
}

/**
 * The current form of a snapshot read from a report.json. A version 1
 * snapshot gets the side measures its report kept beside it.
 */
export function upgradeSnapshot(snapshot: MetricsSnapshot | SnapshotV1, beside: SideMeasures = {}): MetricsSnapshot {
  if (snapshot.version === SNAPSHOT_VERSION) return snapshot;
  return { ...sideSnapshot(beside), counters: snapshot.counters, histograms: snapshot.histograms, series: snapshot.series, samples: snapshot.samples };
}

function addRecords<T extends Partial<Record<string, number>>>(a: T, b: T): T {
  const out: Partial<Record<string, number>> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + (v ?? 0);
  return out as T;
}

/** Two points of one second as one; `latency`, when the caller has merged the two already (metrics/live-book.ts). */
export function mergePoints(a: SeriesPoint, b: SeriesPoint, latency?: string): SeriesPoint {
  return {
    t: a.t,
    open: a.open + b.open,
    messages: addRecords(a.messages, b.messages),
    bytes: a.bytes + b.bytes,
    disconnects: a.disconnects + b.disconnects,
    reconnects: a.reconnects + b.reconnects,
    opens: (a.opens ?? 0) + (b.opens ?? 0),
    cuts: (a.cuts ?? 0) + (b.cuts ?? 0),
    churns: (a.churns ?? 0) + (b.churns ?? 0),
    latency: latency ?? mergeEncoded([a.latency, b.latency]),
  };
}

function compareSamples(x: Sample, y: Sample): number {
  return x.at - y.at || x.client - y.client || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0) || (x.detail < y.detail ? -1 : x.detail > y.detail ? 1 : 0);
}

/**
 * The first of each kind and in all, in the samples' order, and the first
 * of each finding within its kind: what one process keeps of everything it
 * saw (Recorder.sample applies the same caps), so merging before or after
 * the cap is the same.
 *   shard 1: 5 schema, 2 invalid_json; shard 2: 5 schema -> 5 schema (the
 *   earliest of the 10), 2 invalid_json
 *   shard 1: tick_mismatch "reading celsius" at 10; shard 2: the same
 *   at 5, "reading humidity" at 7 -> the one at 5, and the latency one
 */
function capSamples(samples: Sample[]): Sample[] {
  const perKey = new Map<string, number>();
  const out: Sample[] = [];
  for (const x of samples.sort(compareSamples)) {
    // a kind's plain examples and its findings' examples are capped apart
    const kindKey = x.finding === undefined ? x.kind : sampleKey(x.kind, '');
    const n = perKey.get(kindKey) ?? 0;
    if (n >= (x.finding === undefined ? SAMPLES_PER_KIND : FINDINGS_PER_KIND)) continue;
    const key = x.finding === undefined ? undefined : sampleKey(x.kind, x.finding);
    if (key !== undefined && (perKey.get(key) ?? 0) >= SAMPLES_PER_FINDING) continue;
    perKey.set(kindKey, n + 1);
    if (key !== undefined) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    out.push(x);
    if (out.length >= SAMPLE_CAP) break;
  }
  return out;
}

/** Keeps a side measure of either, merged when both have it. */
function both<T>(a: T | undefined, b: T | undefined, merge: (x: T, y: T) => T): T | undefined {
  return a !== undefined && b !== undefined ? merge(a, b) : (a ?? b);
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
  const merged: MetricsSnapshot = {
    version: SNAPSHOT_VERSION,
    counters: addRecords(a.counters, b.counters),
    histograms,
    series: [...byT.values()].sort((x, y) => x.t - y.t),
    samples: capSamples([...a.samples, ...b.samples]),
  };
  return Object.assign(merged, present({
    probes: both(a.probes, b.probes, mergeProbeReports),
    resources: both(a.resources, b.resources, mergeResourceSources),
    fallback: both(a.fallback, b.fallback, mergeFallbackStats),
    health: both(a.health, b.health, (x, y) => combineHealth([x, y])),
    clock: bestClock(a.clock, b.clock),
    browsers: both(a.browsers, b.browsers, mergeBrowserRuns),
  }));
}

export function mergeAll(snapshots: readonly MetricsSnapshot[]): MetricsSnapshot {
  return snapshots.reduce(mergeSnapshots, emptySnapshot());
}
