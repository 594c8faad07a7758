/**
 * Pure cadence and loss rules. A channel promises one message every
 * `interval` ms. Loss is read from gaps between server timestamps (which
 * ticks were sent), cadence from gaps between receive times (when they
 * arrived), so a uniformly late stream is late, not lossy.
 *
 * A gap near a whole number k of intervals (2 <= k < STALL_INTERVALS, within
 * a quarter interval) is k - 1 lost messages, and for cadence it counts as k
 * on-time gaps: a dropped message is a loss, not a cadence fault.
 *   interval 1000: gap 2010 -> 1 lost, two gaps of 1005
 *   interval 1000: gap 1600 -> 0 lost (rounds to 2 but is 400 off), one long gap
 *   interval 2000: gap 20000 -> 9 lost, one gap of 20000 (a stall: flow stopped)
 */
export const STALL_INTERVALS = 4;
const LOSS_SLACK = 0.25;

export interface GapSplit {
  /** How many cadence gaps the gap stands for. */
  parts: number;
  /** Messages that should have come inside the gap. */
  lost: number;
}

/** The answer for the next tick, as nearly every message is: shared, so the hot path builds nothing. */
const NEXT_TICK: GapSplit = Object.freeze({ parts: 1, lost: 0 });

export function splitGap(gapMs: number, intervalMs: number): GapSplit {
  const k = Math.round(gapMs / intervalMs);
  if (k <= 1) return NEXT_TICK;
  if (k < STALL_INTERVALS && Math.abs(gapMs - k * intervalMs) <= LOSS_SLACK * intervalMs) {
    return { parts: k, lost: k - 1 };
  }
  return { parts: 1, lost: k - 1 };
}

/**
 * Messages lost before the first one: a channel must start within one
 * interval of its subscribe (or of the welcome, for a channel that starts by
 * itself). A server on a global phase starts sooner; one on a per-client
 * phase about one interval after.
 *   interval 1000: first after 1030 -> 0 lost; after 2100 -> 1 lost
 */
export function lostAtStart(firstDelayMs: number, intervalMs: number): number {
  return Math.max(0, Math.round(firstDelayMs / intervalMs) - 1);
}

/**
 * Messages lost after the last one, up to the end of observation. One message
 * may be in flight at the edge, so it is tolerated.
 *   interval 1000: open 1900 -> 0 lost; open 3500 -> 2 lost
 */
export function lostAtEnd(openGapMs: number, intervalMs: number): number {
  return Math.max(0, Math.floor(openGapMs / intervalMs) - 1);
}

/** Whether the open gap at the end is long enough to judge as a stall. */
export function openGapIsStall(openGapMs: number, intervalMs: number): boolean {
  return openGapMs >= STALL_INTERVALS * intervalMs;
}

/**
 * A subscribed channel that has delivered nothing for longer than this many
 * intervals is off cadence: no flow is not a flow too short to judge.
 *   interval 5000: subscribed 10,000 ms, nothing yet -> on time; 10,001 ms -> off
 */
export const SILENT_INTERVALS = 2;

export function silentTooLong(openMs: number, intervalMs: number): boolean {
  return openMs > SILENT_INTERVALS * intervalMs;
}

/** Running cadence figures of one client's channel; O(1) memory. */
export interface CadenceState {
  /** Cadence gaps counted (a lost message's gap counts as its parts). */
  gaps: number;
  sumMs: number;
  /** Gaps longer than 1.5 intervals. */
  long: number;
  /** Gaps shorter than 0.5 intervals. */
  short: number;
}

export function newCadence(): CadenceState {
  return { gaps: 0, sumMs: 0, long: 0, short: 0 };
}

/** A gap over this many intervals is long (the p99 bound); one under SHORT_GAP intervals is short (the p1 bound). */
export const LONG_GAP = 1.5;
export const SHORT_GAP = 0.5;

/** Adds one cadence gap (already split) to the state; whether it was off cadence (long or short). */
export function addGap(s: CadenceState, gapMs: number, intervalMs: number): boolean {
  s.gaps += 1;
  s.sumMs += gapMs;
  if (gapMs > LONG_GAP * intervalMs) s.long += 1;
  else if (gapMs < SHORT_GAP * intervalMs) s.short += 1;
  else return false;
  return true;
}

/**
 * Whether an off-cadence gap between two reads could have been on time but
 * for the harness's own stalls: a read in or just after a stall may stand
 * for an arrival as early as its start (metrics/harness-stalls.ts), so the
 * true gap lies between the shortest and the longest the stalls allow, and
 * if that span reaches the on-time band the harness cannot tell.
 *   interval 1000, reads at 0 and 1605, stall 990..1600 -> 990..1605: could be on time
 *   then 1605 and 2000 -> 395..1010: could be on time (the held-back read was early)
 *   interval 1000, reads at 0 and 1605, no stall -> 1605: long
 *   interval 1000, reads at 0 and 6000, stall 5000..5990 -> 5000..6000: long, the target's
 */
export function stallCouldExplain(prevReadMs: number, readMs: number, parts: number, intervalMs: number, arrivedFrom: (readMs: number) => number): boolean {
  const shortest = (arrivedFrom(readMs) - prevReadMs) / parts;
  const longest = (readMs - arrivedFrom(prevReadMs)) / parts;
  return shortest <= LONG_GAP * intervalMs && longest >= SHORT_GAP * intervalMs;
}

/** Takes back the tail counts of `parts` odd gaps of `gapMs` a stall explains: they stay in the count and the mean. */
export function excuseGaps(s: CadenceState, gapMs: number, intervalMs: number, parts: number): void {
  if (gapMs > LONG_GAP * intervalMs) s.long -= parts;
  else if (gapMs < SHORT_GAP * intervalMs) s.short -= parts;
}

export interface CadenceJudgement {
  ok: boolean;
  meanMs: number;
  /** Share of gaps over 1.5 intervals; p99 <= 1.5 x means at most 1 %. */
  longShare: number;
  /** Share of gaps under 0.5 intervals; p1 >= 0.5 x means at most 1 %. */
  shortShare: number;
  reason?: string;
}

export const CADENCE_MEAN_TOLERANCE = 0.05;
/**
 * The mean of n gaps is (last - first) / n, so one edge message held up by
 * 100 ms moves the mean of 2 gaps by 50 ms (5 % of 1 s) but of 5 gaps by
 * 20 ms (2 %). Streams shorter than this (a connection that came back after a cut
 * near the end) have their tails judged, not their mean.
 */
export const CADENCE_MIN_GAPS_FOR_MEAN = 5;
export const CADENCE_TAIL_SHARE = 0.01;

/**
 * Judges one client's channel against criteria.md: mean within 5 % of the
 * interval, p99 <= 1.5 x, p1 >= 0.5 x. The percentile bounds are judged as
 * shares, which is exact and needs no stored gaps.
 *   interval 1000, 30 gaps, mean 1003, none long -> ok
 *   interval 1000, 30 gaps, mean 1100 (drift)    -> mean off by 10 %
 *   interval 1000, 30 gaps, one of 6000 (stall)  -> 3.3 % long
 *   interval 1000, 3 gaps, mean 914 (short)      -> mean not judged, tails ok
 * A channel with no gaps yet has nothing to judge here (no delivery at all
 * is a message_types and data_loss matter).
 */
export function judgeCadence(s: CadenceState, intervalMs: number): CadenceJudgement {
  if (s.gaps === 0) return { ok: true, meanMs: 0, longShare: 0, shortShare: 0 };
  const meanMs = s.sumMs / s.gaps;
  const longShare = s.long / s.gaps;
  const shortShare = s.short / s.gaps;
  const reasons: string[] = [];
  if (s.gaps >= CADENCE_MIN_GAPS_FOR_MEAN && Math.abs(meanMs - intervalMs) > CADENCE_MEAN_TOLERANCE * intervalMs) {
    reasons.push(`mean gap ${meanMs.toFixed(0)} ms vs ${intervalMs} ms`);
  }
  if (longShare > CADENCE_TAIL_SHARE) reasons.push(`${(longShare * 100).toFixed(1)} % of gaps > ${LONG_GAP * intervalMs} ms`);
  if (shortShare > CADENCE_TAIL_SHARE) reasons.push(`${(shortShare * 100).toFixed(1)} % of gaps < ${SHORT_GAP * intervalMs} ms`);
  return { ok: reasons.length === 0, meanMs, longShare, shortShare, reason: reasons.join('; ') || undefined };
}

/** The ticks of one channel across a churn: how many fell due, were lost, were missed. */
export interface ChurnGap {
  /** Ticks stamped strictly between the last on the old connection and the first on the new. */
  due: number;
  /** Of those, the ones a connection was there to take and did not get: loss. */
  lost: number;
  /** The rest: stamped while the harness's own churn had no socket to take them. Not loss. */
  missed: number;
}

/**
 * Loss across a churn (the harness closed a connection and at once opened a
 * new one). Times are ms on one clock (server stamps corrected by the clock
 * offset): `lastTs` the last tick on the old connection, `closedAt` when the
 * harness closed it, `startedAt` when the channel started on the new one
 * (its welcome, or its subscribe), `firstTs` its first tick there.
 *
 * A tick stamped while the old socket was open, more than the one tolerated
 * in flight at the close, was the old connection's to get (lostAtEnd); one
 * stamped after the new connection started, more than one interval after
 * (a server on a per-client phase starts one interval in), was the new
 * connection's (lostAtStart): both are loss, as on a first connection. Any
 * other tick skipped between the two was stamped while the harness itself
 * had closed the socket: missed, not lost. These are the books each
 * connection keeps anyway (channel-stream.ts); this says what the gap
 * between them holds, for the report.
 *   interval 1000, last 10,000, closed 10,400, started 10,430:
 *     first 11,000 -> due 0, lost 0, missed 0 (the next tick came on the new socket)
 *     first 12,000 -> due 1, lost 1: tick 11,000 came after the new welcome and never arrived
 *   interval 1000, last 10,000, closed 10,400, started 13,450 (a slow reopen), first 14,000
 *     -> due 3, lost 0, missed 3: 11,000, 12,000 and 13,000 came while no socket was open
 *   interval 1000, last 10,000, closed 12,600 (the old socket went quiet), started 12,630, first 13,000
 *     -> due 2, lost 1 (11,000; 12,000 may have been in flight at the close), missed 1
 */
export function churnGap(lastTs: number, closedAt: number, startedAt: number, firstTs: number, intervalMs: number): ChurnGap {
  const due = Math.max(0, Math.round((firstTs - lastTs) / intervalMs) - 1);
  const lost = Math.min(due, lostAtEnd(closedAt - lastTs, intervalMs) + lostAtStart(firstTs - startedAt, intervalMs));
  return { due, lost, missed: due - lost };
}
