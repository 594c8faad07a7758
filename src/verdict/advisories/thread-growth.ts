import { linearFit } from '../../metrics/slope.js';
import type { AdvisoryRule } from './types.js';

/**
 * `thread_growth`: the target's thread count rises with the clients open (a
 * thread per connection, or per subscription: the real server's 103 JVM
 * threads for 20 clients). Read from the resource samples that carry a
 * thread count; without one (most sources) there is nothing to judge.
 * Each sample is paired with the clients open in its second; a straight
 * line through (clients, threads) rising by THREADS_PER_CLIENT or more, over
 * at least MIN_CLIENT_SPAN clients, is growth.
 *   (0, 22), (10, 62), (20, 103) -> ~4 threads per client: found
 *   (0, 40), (10, 41), (20, 41)  -> flat (a pool): nothing
 */
export const THREADS_PER_CLIENT = 0.5;
export const MIN_CLIENT_SPAN = 5;
const MIN_POINTS = 3;

export const threadGrowth: AdvisoryRule = {
  id: 'thread_growth',
  find({ snapshot }) {
    const open = new Map(snapshot.series.map((p) => [p.t, p.open]));
    const points: { t: number; v: number }[] = [];
    for (const series of snapshot.resources ?? []) {
      for (const p of series.points) {
        const clients = open.get(Math.floor(p.t / 1000));
        if (typeof p.threads === 'number' && clients !== undefined) points.push({ t: clients, v: p.threads });
      }
    }
    if (points.length < MIN_POINTS) return undefined;
    const clients = points.map((p) => p.t);
    const span = Math.max(...clients) - Math.min(...clients);
    if (span < MIN_CLIENT_SPAN) return undefined;
    const fit = linearFit(points);
    if (fit.slope < THREADS_PER_CLIENT) return undefined;
    const lo = points.reduce((a, p) => (p.t < a.t ? p : a));
    const hi = points.reduce((a, p) => (p.t > a.t ? p : a));
    return `threads rise ${fit.slope.toFixed(1)} per client open: ${lo.v} at ${lo.t} client(s), ${hi.v} at ${hi.t}`;
  },
};
