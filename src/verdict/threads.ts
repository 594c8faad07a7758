import type { ResourceSeries } from '../metrics/resource-series.js';
import type { SeriesPoint } from '../metrics/snapshot.js';
import { inSteady } from './memory-trend.js';
import { fitPerConnection, openedBy, type OpenCount } from './per-connection.js';

/**
 * The target's threads per connection, from a pid source's samples (/proc
 * Threads, summed over the process tree) over the steady phase. A server
 * that starts a thread per client (the Phase 3A server starts one per
 * channel per client) shows it in `perOpenConnection`; one that never ends
 * them, in `perConnectionOpened` under churn. Pure.
 *   10 threads at the start, 50 at the end, 20 open, 100 opened between
 *   -> perOpenConnection 2.5 (50 / 20), perConnectionOpened 0.4
 */
export interface ThreadFigures {
  /** The source sampled, `pid 1234`. */
  origin: string;
  start: number;
  end: number;
  max: number;
  /** Threads at the last steady sample over the clients open then. */
  perOpenConnection: number;
  /** Fitted threads per connection opened (null with too few opened: no --churn). */
  perConnectionOpened: number | null;
  /** Connections opened in the steady phase. */
  connectionsOpened: number;
}

export function openCounts(series: readonly SeriesPoint[]): OpenCount[] {
  return series.map((p) => ({ t: p.t, n: p.opens ?? 0 }));
}

/** Undefined when no source has threads (a metrics URL, an old report). */
export function threadFigures(resources: readonly ResourceSeries[] | undefined, series: readonly SeriesPoint[], steadyStartMs: number, steadyEndMs: number): ThreadFigures | undefined {
  for (const source of resources ?? []) {
    const pts = inSteady(source.points, steadyStartMs, steadyEndMs).filter((p) => p.threads !== undefined).map((p) => ({ t: p.t, v: p.threads! }));
    if (pts.length === 0) continue;
    const last = pts[pts.length - 1];
    const openThen = series.find((p) => p.t === Math.floor(last.t / 1000))?.open ?? 0;
    const opens = openCounts(series);
    const fit = fitPerConnection(pts, opens);
    const opened = Math.round(openedBy(opens, steadyEndMs) - openedBy(opens, steadyStartMs));
    return {
      origin: source.origin,
      start: pts[0].v,
      end: last.v,
      max: Math.max(...pts.map((p) => p.v)),
      perOpenConnection: openThen > 0 ? last.v / openThen : 0,
      perConnectionOpened: fit ? fit.slope : null,
      connectionsOpened: opened,
    };
  }
  return undefined;
}
