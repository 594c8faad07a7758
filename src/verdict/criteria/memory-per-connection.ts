import type { ResourceSeries } from '../../metrics/resource-series.js';
import type { CriterionResult } from '../criteria.js';
import { inSteady } from '../memory-trend.js';
import { fitPerConnection, lowerEnvelope, MIN_OPENED_FOR_FIT, MIN_PER_CONNECTION_POINTS, type OpenCount } from '../per-connection.js';

/**
 * `server_memory`'s judgement of memory kept per connection ever opened:
 * RSS over the steady phase, its lower envelope (what no later sample gave
 * back: per-connection.ts), fitted against the connections opened by then. A registry that keeps closed connections grows with
 * the churn, not with the open count, and a slope over time alone may read
 * it as small when churn is slow; per connection it is the same figure at
 * any churn rate. It fails when the fitted growth per connection opened
 * reaches the bound (50 KB; KB = 1024 bytes).
 *   20 clients, 5/s churn, 20 s steady: ~85 connections opened; a server
 *   keeping 200 KB of each fits ~200 KB per connection opened -> fail
 * Not judged (a note, the rest of server_memory stands) with fewer than
 * MIN_PER_CONNECTION_POINTS samples, or when fewer than
 * MIN_OPENED_FOR_FIT connections opened in the steady phase, as without
 * --churn, where the opened count barely moves and the fit would be noise.
 */
export interface PerConnectionMemory {
  /** Undefined when not judged; `note` says why. */
  pass?: boolean;
  /** The clause as the threshold states it. */
  threshold: string;
  /** For observed: `per connection opened 12.3 KB`; '' when not judged. */
  observed: string;
  detail: string;
}

const KB = 1024;
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

export function perConnectionThreshold(limitBytes: number): string {
  return `growth per connection opened < ${+(limitBytes / KB).toFixed(3)} KB`;
}

export function judgeMemoryPerConnection(series: ResourceSeries, opens: readonly OpenCount[], steadyStartMs: number, steadyEndMs: number, limitBytes: number): PerConnectionMemory {
  const threshold = perConnectionThreshold(limitBytes);
  const mem = inSteady(series.points, steadyStartMs, steadyEndMs).filter((p) => p.rssBytes !== null).map((p) => ({ t: p.t, v: p.rssBytes! }));
  // what no later sample gave back: garbage between collections is not kept
  const fit = fitPerConnection(lowerEnvelope(mem), opens, MIN_PER_CONNECTION_POINTS);
  if (!fit) {
    const why = mem.length < MIN_PER_CONNECTION_POINTS
      ? `only ${mem.length} memory sample(s) in the steady phase, ${MIN_PER_CONNECTION_POINTS} needed`
      : `fewer than ${MIN_OPENED_FOR_FIT} connections opened in the steady phase (--churn opens more)`;
    return { threshold, observed: '', detail: `growth per connection opened not judged: ${why}` };
  }
  const pass = fit.slope < limitBytes;
  return {
    pass,
    threshold,
    observed: `${kb(fit.slope)} per connection opened`,
    detail: `RSS (lower envelope) fitted against ${fit.opened.toFixed(0)} connections opened in the steady phase: ${kb(fit.slope)} ± ${kb(fit.slopeStdErr)} per connection`,
  };
}

/**
 * server_memory whole: the trend's result (slope and growth over time) and
 * the per-connection judgement together. It fails when either fails; a
 * trend skipped for too few samples stays skipped (the fit needs as many).
 */
export function withPerConnection(trend: CriterionResult, perConnection: PerConnectionMemory): CriterionResult {
  const threshold = `${trend.threshold} and ${perConnection.threshold}`;
  // the trend may be unjudgeable (too few collections) where the per-connection fit is not:
  // memory kept per connection opened fails the criterion on its own; a pass leaves it skipped
  if (trend.status === 'skipped') {
    if (perConnection.pass !== false) return { ...trend, observed: perConnection.observed || trend.observed, threshold, detail: [trend.detail, perConnection.detail].filter(Boolean).join('; ') };
    return { ...trend, status: 'fail', observed: perConnection.observed || trend.observed, threshold, detail: [perConnection.detail, `the trend itself: ${trend.detail}`].filter(Boolean).join('; ') };
  }
  const pass = trend.status === 'pass' && perConnection.pass !== false;
  return {
    ...trend,
    status: pass ? 'pass' : 'fail',
    observed: perConnection.observed ? `${trend.observed}, ${perConnection.observed}` : trend.observed,
    threshold,
    detail: [trend.detail, perConnection.detail].filter(Boolean).join('; '),
  };
}
