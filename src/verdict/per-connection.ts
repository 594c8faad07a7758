import { linearFit } from '../metrics/slope.js';

/**
 * Figures per connection ever opened: a resource of the target (resident
 * memory, threads) fitted by least squares against the count of
 * connections opened so far, over the steady phase. A server that keeps
 * something for every connection it ever had grows with the connections
 * opened, not with those open; under churn (--churn) the open count is flat
 * while the opened count rises, so the slope of the fit is what each
 * connection left behind. Pure.
 *   steady 10 s, 5 opened a second, RSS 40 MB + 200 KB per connection opened
 *   -> 50 opened, fitted slope 200 KB per connection opened
 */

/** Connections opened in one epoch second (a snapshot's series point). */
export interface OpenCount {
  t: number;
  n: number;
}

/** Fewer connections opened in the steady phase than this: no fit (the opened count barely moves). */
export const MIN_OPENED_FOR_FIT = 20;

/**
 * Fewer samples in the steady phase than this: no fit. Fewer than the
 * trend's MIN_MEMORY_POINTS (20): the fit stands on the connections opened
 * (MIN_OPENED_FOR_FIT) and its error is reported beside it, and a 20 s
 * steady phase sampled each second holds 20 samples only when no sample
 * came late, so a loaded machine would skip the judgement the churn run is for.
 */
export const MIN_PER_CONNECTION_POINTS = 10;

/**
 * Connections opened by epoch ms `tMs`: the seconds before it whole, its own
 * second in proportion (opens are spread over the second as far as we know).
 *   [{t: 100, n: 4}, {t: 101, n: 6}], 101,500 ms -> 4 + 3 = 7
 */
export function openedBy(opens: readonly OpenCount[], tMs: number): number {
  let total = 0;
  for (const o of opens) {
    const from = o.t * 1000;
    if (tMs >= from + 1000) total += o.n;
    else if (tMs > from) total += (o.n * (tMs - from)) / 1000;
  }
  return total;
}

/**
 * What a process kept, read from its samples: each value replaced by the
 * lowest at or after it (the lower envelope from the right). Memory a
 * collection later gives back was garbage, not kept: a garbage-collected
 * server's RSS climbs between collections as garbage piles up (under churn,
 * the simulator's by ~0.6 MB/s) and falls at each, so a fit of the raw
 * samples reads that climb, or a fall, as what each connection kept. The
 * envelope credits only growth that no later sample gave back. It can only
 * read less than the raw samples; with no collection in the window it is
 * the raw samples (memoryCaveat says so).
 *   80, 84, 88, 72, 74, 76, 75 -> 72, 72, 72, 72, 74, 75, 75
 */
export function lowerEnvelope<P extends { v: number }>(points: readonly P[]): P[] {
  const out = points.map((p) => ({ ...p }));
  for (let i = out.length - 2; i >= 0; i -= 1) out[i].v = Math.min(out[i].v, out[i + 1].v);
  return out;
}

export interface PerConnectionFit {
  /** Units of the value per connection opened. */
  slope: number;
  slopeStdErr: number;
  /** Connections opened between the first and the last point. */
  opened: number;
  points: number;
}

/** The fit of values at epoch ms against connections opened by then; undefined with too few opened or points. */
export function fitPerConnection(values: readonly { t: number; v: number }[], opens: readonly OpenCount[], minPoints = 3): PerConnectionFit | undefined {
  if (values.length < minPoints) return undefined;
  const xs = values.map((p) => ({ t: openedBy(opens, p.t), v: p.v }));
  const opened = xs[xs.length - 1].t - xs[0].t;
  if (opened < MIN_OPENED_FOR_FIT) return undefined;
  const fit = linearFit(xs);
  return { slope: fit.slope, slopeStdErr: fit.slopeStdErr, opened, points: values.length };
}
