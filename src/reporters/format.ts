import type { MetricsSummary } from '../verdict/summary.js';

/** Small number formats shared by the human reporters. */
export function fmtMs(v: number): string {
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${v.toFixed(0)} ms`;
  return `${v.toFixed(1)} ms`;
}

export function fmtCount(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

export function fmtBytes(v: number): string {
  if (v >= 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MiB`;
  if (v >= 1024) return `${(v / 1024).toFixed(1)} KiB`;
  return `${v.toFixed(0)} B`;
}

/** How the embedded simulator's priority reads beside its name (nothing at equal priority). */
export function niced(nice: unknown): string {
  // a report.json read back may come from anywhere: only a number is shown
  return typeof nice === 'number' && Number.isFinite(nice) && nice > 0 ? `, niced +${nice} to leave the harness the cores` : '';
}

/** The churn row of the key metrics (--churn), or none: `84 closed and reopened at once (p99 12 ms), 0 failed, 3 ticks missed while closed`. */
export function churnRows(m: MetricsSummary): [string, string][] {
  const c = m.churn;
  if (!c || c.closes + c.skipped === 0) return [];
  const skipped = c.skipped ? `, ${c.skipped} skipped (client not streaming)` : '';
  return [['churn', `${c.reopened} of ${c.closes} closed and reopened at once (p99 ${fmtMs(c.reopenMs.p99)}), ${c.reopenFailed} failed${skipped}, ${c.missed} tick(s) missed while closed (not loss)`]];
}

/** The target's threads per connection (pid source), or none: `11 (max 11), 0.55 per open connection, 0.00 per connection opened`. */
export function threadRows(m: MetricsSummary): [string, string][] {
  const t = m.threads;
  if (!t) return [];
  const opened = t.perConnectionOpened === null ? 'per connection opened not fitted (too few opened)' : `${t.perConnectionOpened.toFixed(2)} per connection opened (${t.connectionsOpened})`;
  return [['server threads', `${t.start} -> ${t.end} (max ${t.max}, ${t.origin}), ${t.perOpenConnection.toFixed(2)} per open connection, ${opened}`]];
}
