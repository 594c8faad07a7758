import type { MetricsSummary } from './summary.js';

/**
 * The figures a criterion judges that a later stage reads too (the baseline
 * keeps them, a comparison holds a run to them): one function each, so the
 * report's criterion and its baseline metric are always the same number.
 */

/** The clients a run (or shard, or merge of shards) planned at its peak: counted, else the setting. */
export function plannedClients(m: MetricsSummary, settingsClients: number): number {
  return m.clients.planned > 0 ? m.clients.planned : settingsClients;
}

export interface UptimeFigure {
  /** Streaming client-time over the client-time expected, at most 1. */
  share: number;
  /** Client-ms expected: planned x steady length, less the time away after harness cuts and churn closes. */
  expectedMs: number;
}

/**
 * `uptime`: the share of client-seconds with an open, streaming connection.
 * Time away after a harness cut is the cut's doing, not the target's, so it
 * leaves the expected time; so does the time from a churn close to the
 * reopen (a planned close, not a disconnect).
 *   10 clients, 30 s steady, one cut away 4 s, 296 client-s streaming:
 *   expected 300 - 4 = 296 -> 100 %
 *   ... and 100 churn closes each 5 ms away: expected 300 - 4 - 0.5 = 295.5
 * Undefined without a steady phase.
 */
export function uptimeFigure(m: MetricsSummary, planned: number, steadyMs: number): UptimeFigure | undefined {
  if (steadyMs <= 0) return undefined;
  // reports from before churn have no churn figures
  const expectedMs = planned * steadyMs - m.reconnect.cutAwayMs - (m.churn?.awayMs ?? 0);
  return { share: expectedMs > 0 ? Math.min(1, m.streamMs / expectedMs) : 0, expectedMs };
}

/**
 * `reconnect`: p99 of the time from a harness cut to the first message on
 * the new connection, ms. Null when nothing was cut or nothing came back
 * (then there is no time to compare).
 */
export function reconnectP99Ms(m: MetricsSummary): number | null {
  const r = m.reconnect;
  return r.cuts > 0 && r.cutFirstMessageMs.count > 0 ? r.cutFirstMessageMs.p99 : null;
}
