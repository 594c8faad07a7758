/**
 * The target's CPU and resident memory as sampled each second
 * (engine/resource-sampler.ts): plain data, so it travels in a metrics
 * snapshot. Series are kept per source (`pid 1234` on one machine, a
 * metrics URL): two sources are two views of the target, not one series,
 * and the verdict judges each.
 */
export type ResourceSourceKind = 'pid' | 'metrics';

export interface ResourcePoint {
  /** Epoch ms of the read. */
  t: number;
  /** Share of one core since the previous read (1 = one core busy); null when unknown (first read of a counter). */
  cpuShare: number | null;
  /** Resident memory in bytes; null when the source has none. */
  rssBytes: number | null;
  /** Threads of the process and those under it (/proc Threads), for the thread_growth advisory; absent when the source has none. */
  threads?: number;
  /**
   * A JVM's long-lived heap in use: Micrometer `jvm_memory_used_bytes{area="heap"}`
   * of every heap pool but the young ones (the old generation); only from a
   * metrics source that has it. It falls at mixed and full collections, so its
   * floors show what the heap keeps.
   */
  heapBytes?: number;
  /** A JVM's long-lived heap after its last major collection (Micrometer `jvm_gc_live_data_size_bytes`), when exposed and non-zero. */
  heapLiveBytes?: number;
}

export interface ResourceError {
  t: number;
  message: string;
}

export interface ResourceSeries {
  source: ResourceSourceKind;
  origin: string;
  intervalMs: number;
  points: ResourcePoint[];
  /** The first MAX_KEPT_ERRORS failed reads; `errorCount` has them all. */
  errors: ResourceError[];
  errorCount: number;
  notes: string[];
}


/** Failed reads a series keeps as examples; `errorCount` counts them all. */
export const MAX_KEPT_ERRORS = 20;

const key = (s: ResourceSeries) => `${s.source} ${s.origin}`;
const byKey = (x: ResourceSeries, y: ResourceSeries) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);
const byT = <T extends { t: number }>(x: T, y: T) => x.t - y.t;

/** Two series of one source (the same key) as one; associative and commutative. */
function mergeSeries(a: ResourceSeries, b: ResourceSeries): ResourceSeries {
  const errors = [...a.errors, ...b.errors].sort((x, y) => x.t - y.t || (x.message < y.message ? -1 : x.message > y.message ? 1 : 0));
  return {
    source: a.source,
    origin: a.origin,
    intervalMs: Math.min(a.intervalMs, b.intervalMs),
    points: [...a.points, ...b.points].sort(byT),
    errors: errors.slice(0, MAX_KEPT_ERRORS),
    errorCount: a.errorCount + b.errorCount,
    notes: [...new Set([...a.notes, ...b.notes])].sort(),
  };
}

/**
 * Every source of both lists, one series each, in source order; a source in
 * both has its points and errors joined by time. Associative and commutative.
 *   [pid 41 (30 points)] + [pid 41 (5 points), metrics http://t/metrics]
 *   -> [metrics http://t/metrics, pid 41 (35 points)]
 */
export function mergeResourceSources(a: readonly ResourceSeries[], b: readonly ResourceSeries[]): ResourceSeries[] {
  const out = new Map<string, ResourceSeries>();
  for (const s of [...a, ...b]) {
    const prev = out.get(key(s));
    out.set(key(s), prev ? mergeSeries(prev, s) : s);
  }
  return [...out.values()].sort(byKey);
}
