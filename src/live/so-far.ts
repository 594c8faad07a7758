import type { LiveTick, RunResult } from '../engine/run.js';
import type { CriterionId, CriterionResult } from '../verdict/criteria.js';
import { buildReport, type Report } from '../verdict/report.js';

/**
 * Criteria whose figures are counted as each connection's books close (at
 * the end of the run): held clients, messages expected and lost, streams on
 * cadence, bandwidth per connection, time streaming, the memory trend of the
 * whole run. Judged before then they would read as failed (or passed) on
 * figures that are not there yet, so until the end they are `pending`; every
 * other criterion is the verdict's own function on the run so far.
 */
export const SETTLED_AT_END: ReadonlySet<CriterionId> = new Set<CriterionId>(['cadence', 'subscriptions', 'fallback', 'bandwidth', 'server_memory', 'concurrency', 'data_loss', 'uptime', 'reconnect']);

export type LiveStatus = CriterionResult['status'] | 'pending';
export type LiveCriterion = Omit<CriterionResult, 'status'> & { status: LiveStatus };

/** The run so far as a run result: the book's snapshot, the steady phase cut at `nowMs`. */
export function runSoFar(tick: LiveTick, settings: RunResult['settings'], nowMs: number, snapshot = tick.book.snapshot()): RunResult {
  return {
    settings,
    target: tick.target,
    startedAt: tick.startedAt,
    endedAt: nowMs,
    steadyStartMs: tick.steadyStartMs,
    steadyEndMs: Math.max(tick.steadyStartMs, Math.min(tick.steadyEndMs, nowMs)),
    snapshot,
    interrupted: false,
    workers: tick.workers,
    shard: tick.shard,
  };
}

/**
 * The report of the run so far, by the same function as the final one
 * (verdict/report.ts), and each criterion's running status.
 */
export function judgeSoFar(tick: LiveTick, settings: RunResult['settings'], nowMs: number, snapshot = tick.book.snapshot()): { report: Report; criteria: LiveCriterion[] } {
  const report = buildReport(runSoFar(tick, settings, nowMs, snapshot));
  return { report, criteria: liveCriteria(report.criteria, false) };
}

/** The running status: the end-settled criteria pending until `final`. */
export function liveCriteria(criteria: readonly CriterionResult[], final: boolean): LiveCriterion[] {
  return criteria.map((c) => (!final && SETTLED_AT_END.has(c.id) ? { ...c, status: 'pending' as const, observed: 'judged at the end' } : c));
}

/** The ids failing so far, in criteria.md order. */
export function failingSoFar(criteria: readonly LiveCriterion[]): CriterionId[] {
  return criteria.filter((c) => c.status === 'fail').map((c) => c.id);
}
