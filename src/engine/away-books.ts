import type { CheckContext } from '../checks/context.js';

/**
 * The books of time a client spent away by the harness's own doing: after a
 * chaos cut (until it reopens) and after a churn close (until the reopen
 * opens or fails). Uptime leaves that time out of what it expects; the
 * messages due meanwhile are counted as missed, not lost.
 */

/** Away after a harness cut, inside the steady phase, and the messages due meanwhile. */
export function countCutAway(ctx: CheckContext, subscribe: readonly string[], cutAt: number, until: number): void {
  const from = Math.max(cutAt, ctx.steadyStartMs);
  const to = Math.min(until, ctx.steadyEndMs);
  if (to <= from) return;
  const { recorder, profile } = ctx;
  recorder.count('cut_away_ms', to - from);
  const subscribed = new Set(subscribe);
  for (const c of profile.channels) {
    if (c.autoStart || subscribed.has(c.channel)) recorder.count('cut_missed', Math.floor((until - cutAt) / c.intervalMs));
  }
}

/** How a churn ended: the new connection opened, its open failed, or the run stopped first. */
export type ChurnEnd = 'reopened' | 'failed' | 'stopped';

/**
 * A churn is over. From the close to the reopen's open is the churn's own
 * time away, left out of uptime like a cut's; when the reopen fails, the
 * time from then on is the target's (the client goes on as after a drop).
 * The messages missed meanwhile are counted per channel at the new first
 * message (checks/cadence.ts, churnGap).
 *   closed at 12,000, opened again at 12,004 -> 4 ms away, churn_reopen_us 4,000
 */
export function countChurnEnd(ctx: CheckContext, churnedAt: number, now: number, how: ChurnEnd): void {
  const { recorder } = ctx;
  if (how === 'reopened') {
    recorder.count('churn_reopened');
    recorder.observe('churn_reopen_us', (now - churnedAt) * 1000);
  } else if (how === 'failed') recorder.count('churn_reopen_failed');
  const from = Math.max(churnedAt, ctx.steadyStartMs);
  const to = Math.min(now, ctx.steadyEndMs);
  if (to > from) recorder.count('churn_away_ms', to - from);
}
