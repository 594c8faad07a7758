import type { TargetProfile } from '../profile/index.js';
import { quickestIntervalMs } from './chaos-plan.js';
import type { Kind } from './option-kinds.js';
import type { LoadPlan } from './plan.js';
import type { Slice } from './slice.js';

/**
 * Churn: the harness closes and at once reopens `perSecond` connections a
 * second through the steady phase, as a real portal page does (the TPS
 * chart reopens its socket whenever the value it shows changes, about once
 * a second: docs/protocol.md). Pure, like the chaos plan.
 *
 * Closes are evenly spaced, 1000 / perSecond ms apart, the first half a
 * step into the steady phase, and go round the clients in order, so each
 * client is churned once every peak / perSecond seconds. A close is planned
 * only while a churned client has `returnMs` left to reopen and stream
 * before the steady phase ends (a client still reopening at the end would
 * read as not held).
 *   20 clients, 5/s, steady 6 s..26 s, returnMs 3 s -> a close every 200 ms
 *   from 6.1 s to 22.9 s (85 closes), clients 0, 1, ... 19, 0, 1, ...: each
 *   client every 4 s
 */
export interface ChurnEvent {
  /** ms after the run starts. */
  atMs: number;
  client: number;
}

export function churnPlan(perSecond: number, plan: LoadPlan, returnMs: number): ChurnEvent[] {
  if (!(perSecond > 0) || plan.peak === 0) return [];
  const step = 1000 / perSecond;
  const events: ChurnEvent[] = [];
  for (let k = 0; ; k += 1) {
    const atMs = Math.round(plan.steadyStartMs + (k + 0.5) * step);
    if (atMs + returnMs > plan.steadyEndMs) return events;
    events.push({ atMs, client: k % plan.peak });
  }
}

/**
 * How long a churned client needs to show it streams again: it reopens at
 * once, then its welcome and two of the quickest channel's ticks, and a
 * second of slack.
 *   the fastest channel every 1 s -> 3000
 */
export function churnReturnMs(s: { channels: readonly string[] }, profile: TargetProfile): number {
  return 2 * quickestIntervalMs(s.channels, profile) + 1000;
}

/** The events of one slice, in its local client indices (see slice.ts). */
export function sliceChurn(events: readonly ChurnEvent[], slice: Slice): ChurnEvent[] {
  if (slice.count === 1) return [...events];
  return events.filter((e) => e.client % slice.count === slice.index).map((e) => ({ atMs: e.atMs, client: Math.floor(e.client / slice.count) }));
}

const CHURN_FORM = '<n>/s such as 5/s (connections closed and reopened a second)';

/** `--churn 5/s`, `churn: 5/s` (or a bare number in a file, a second implied). */
export const churnRate: Kind<number> = {
  schema: { type: ['string', 'number'], description: CHURN_FORM },
  check: (n) => (Number.isFinite(n) && n > 0 && n <= 10_000 ? undefined : `must be more than 0 and at most 10000 a second (got ${n})`),
  parse(value, at) {
    const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*\/\s*s\s*$/.exec(value) : undefined;
    const n = typeof value === 'number' ? value : m ? Number(m[1]) : NaN;
    if (Number.isNaN(n)) return void at.problem(`${at.name} must be ${CHURN_FORM} (got ${JSON.stringify(value)})`);
    const why = churnRate.check!(n);
    return why ? void at.problem(`${at.name} ${why}`) : n;
  },
};
