import { decodeHistogram, mergeEncoded, summarize } from './histogram.js';

/**
 * Polls of the REST fallback (engine/fallback-poller.ts): plain data, so it
 * travels in a metrics snapshot. Polls of several pollers add up as if one
 * poller had made them all: counts add, latency histograms add, the points
 * join by time.
 */
export type FallbackFailure =
  | `http_${number}`
  | 'timeout'
  | 'network'
  | 'not_json'
  | 'not_object'
  | 'stale'
  | 'timestamp_went_back';

export interface FallbackPoint {
  /** Epoch ms when the poll was sent. */
  t: number;
  ok: boolean;
  /** Time to the whole body, ms. */
  ms: number;
  reason?: FallbackFailure;
}

export interface FallbackStats {
  url: string;
  intervalMs: number;
  polls: number;
  ok: number;
  failures: Partial<Record<FallbackFailure, number>>;
  /** Latency of every completed poll (timeouts at the timeout) in µs, encoded (metrics/histogram.ts). */
  latency: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  points: FallbackPoint[];
  /** Last network error text, for the report. */
  lastError?: string;
}

const URLS = ', ';

/** Time of the last poll that failed on the network, the one `lastError` is about. */
function lastNetworkFailure(s: FallbackStats): number {
  let t = -Infinity;
  for (const p of s.points) if (p.reason === 'network' && p.t > t) t = p.t;
  return t;
}

function laterError(a: FallbackStats, b: FallbackStats): string | undefined {
  if (a.lastError === undefined || b.lastError === undefined) return a.lastError ?? b.lastError;
  const ta = lastNetworkFailure(a);
  const tb = lastNetworkFailure(b);
  if (ta !== tb) return ta > tb ? a.lastError : b.lastError;
  return a.lastError > b.lastError ? a.lastError : b.lastError;
}

/**
 * The polls of both as one poller's; associative and commutative.
 *   a: 30 polls, 29 ok, p99 40 ms; b: 30 polls, 30 ok, p99 12 ms
 *   -> 60 polls, 59 ok, p99 from the 60 latencies together
 */
export function mergeFallbackStats(a: FallbackStats, b: FallbackStats): FallbackStats {
  const failures: FallbackStats['failures'] = { ...a.failures };
  for (const [k, v] of Object.entries(b.failures) as Array<[keyof FallbackStats['failures'], number]>) failures[k] = (failures[k] ?? 0) + v;
  const latency = mergeEncoded([a.latency, b.latency]);
  const s = summarize(decodeHistogram(latency), 1000);
  const urls = [...new Set([...a.url.split(URLS), ...b.url.split(URLS)])].sort();
  const out: FallbackStats = {
    url: urls.join(URLS),
    intervalMs: Math.min(a.intervalMs, b.intervalMs),
    polls: a.polls + b.polls,
    ok: a.ok + b.ok,
    failures,
    latency,
    p50Ms: s.p50,
    p99Ms: s.p99,
    maxMs: s.max,
    points: [...a.points, ...b.points].sort((x, y) => x.t - y.t || x.ms - y.ms),
  };
  const lastError = laterError(a, b);
  if (lastError !== undefined) out.lastError = lastError;
  return out;
}
