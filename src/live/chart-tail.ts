import type { ChartData } from '../reporters/html-charts.js';

/** A time chart's newest points, for a viewer to append (reporters/html-client.ts, lsbAppend). */
export interface ChartTail {
  id: string;
  x: number[];
  series: { label: string; values: (number | null)[] }[];
}

/**
 * The seconds a tail's charts are computed over, besides the new ones: a
 * rate over whole channel intervals (html-charts.ts, windowedRate) needs
 * the seconds before the point it gives, a window of at least 5 s and
 * under two of the channel's intervals; the other charts, none.
 *   channels every 1, 2, 5 s -> 10; every 30 s -> 60
 */
export function tailContextSeconds(intervalsMs: readonly number[]): number {
  return 2 * Math.ceil(Math.max(5000, ...intervalsMs) / 1000);
}

/**
 * The time charts' points past the last x each viewer has (`after`, by
 * chart id); a chart with none new is left out, as is the distribution,
 * which is not over time and comes with each judgement. Pure.
 *   clients x [10, 11, 12], after 11 -> { id: 'clients', x: [12], series: [{ label: 'open', values: [v12] }] }
 */
export function chartTail(charts: readonly ChartData[], after: Readonly<Record<string, number>>): ChartTail[] {
  const out: ChartTail[] = [];
  for (const c of charts) {
    if (c.xKind !== 'time') continue;
    const last = after[c.id] ?? -Infinity;
    let from = c.x.length;
    while (from > 0 && c.x[from - 1] > last) from -= 1;
    if (from === c.x.length) continue;
    out.push({ id: c.id, x: c.x.slice(from), series: c.series.map((s) => ({ label: s.label, values: s.values.slice(from) })) });
  }
  return out;
}

/** The last x of each time chart: where the next tail starts. */
export function lastXOf(charts: readonly (ChartData | ChartTail)[], into: Record<string, number> = {}): Record<string, number> {
  for (const c of charts) if (c.x.length > 0 && ('xKind' in c ? c.xKind === 'time' : true)) into[c.id] = c.x[c.x.length - 1];
  return into;
}
