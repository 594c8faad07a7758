/**
 * Pure judgements of what the probe client saw of one channel: did a second
 * subscribe double the stream, did unsubscribe stop it. Arrivals carry the
 * receive time and, when the message had one, the server's timestamp.
 *
 * Each judgement has a window of its own, fixed from the moment the probe
 * sent its message: the probe waits the window out whatever it sees, so the
 * next probe starts after it and two probes never count the same message.
 */

export interface Arrival {
  /** Epoch ms the message was received. */
  at: number;
  /** Server timestamp of the message (ms), when it had one. */
  timestamp?: number;
}

/** A judged span, in ms after the probe's send. */
export interface ProbeWindow {
  fromMs: number;
  toMs: number;
}

/**
 * What the second-subscribe probe counts: from one interval + slack after
 * the subscribe (by then a second stream, had the subscribe started one,
 * must be running: the channel starts within one interval) to two intervals
 * later. What comes before is not counted: the confirmation, a snapshot sent
 * at once on subscribe, a new stream's first message. The probe watches
 * 3I + slack in all.
 *   I = 2000, slack 500 -> counted from 2.5 s to 6.5 s after the subscribe
 */
export function doublingWindow(intervalMs: number, slackMs: number): ProbeWindow {
  const fromMs = intervalMs + slackMs;
  return { fromMs, toMs: fromMs + 2 * intervalMs };
}

/** What the unsubscribe probe counts: after one interval + slack (stragglers) to one interval later. */
export function stopWindow(intervalMs: number, slackMs: number): ProbeWindow {
  const fromMs = intervalMs + slackMs;
  return { fromMs, toMs: fromMs + intervalMs };
}

export type DoublingOutcome = 'single' | 'doubled' | 'stopped';

export interface DoublingJudgement {
  pass: boolean;
  outcome: DoublingOutcome;
  /** Messages in the counted window. */
  count: number;
  /** Messages one stream sends in the counted window: `expected`, `expected + 1` at most (a message on each edge). */
  expected: number;
  /** Smallest gap between consecutive counted messages, ms (server clock when every one has a timestamp). */
  minGapMs: number;
  detail: string;
}

/** What the probe saw before the counted window, for the detail. */
export interface EarlyArrivals {
  /** Channel messages received after the send and before the counted window. */
  count: number;
  /** Ms after the confirmation of a message the profile allows as a snapshot on subscribe, when one came. */
  snapshotAfterMs?: number;
}

/**
 * A single stream of period I sends one message per interval: n = L / I in
 * the counted window of length L = 2I, n + 1 when one sits on each edge. A
 * doubled stream (two streams of the channel, at any phase offset) sends two
 * per interval, 2n, over the whole window: more than n + 1 is doubled. One
 * early message (a snapshot on subscribe) is outside the window, so it cannot
 * read as doubling; nor can a stream the subscribe restarted at a new phase.
 *   I = 2000, window 2.5-6.5 s: one stream 2 (or 3); two streams 8 ms apart
 *   4, at 2501 / 2509 / 4502 / 4510 ms -> doubled
 * None in the window: the second subscribe stopped the stream.
 */
export function judgeDoubling(arrivals: readonly Arrival[], sentAt: number, intervalMs: number, slackMs: number, type: string, early: EarlyArrivals = { count: 0 }): DoublingJudgement {
  const w = doublingWindow(intervalMs, slackMs);
  const counted = arrivals.filter((a) => a.at >= sentAt + w.fromMs && a.at < sentAt + w.toMs);
  const count = counted.length;
  const expected = Math.round((w.toMs - w.fromMs) / intervalMs);
  const serverClock = counted.every((a) => a.timestamp !== undefined);
  const times = counted.map((a) => (serverClock ? a.timestamp! : a.at));
  let minGapMs = Infinity;
  for (let i = 1; i < times.length; i++) minGapMs = Math.min(minGapMs, Math.abs(times[i] - times[i - 1]));
  const outcome: DoublingOutcome = count === 0 ? 'stopped' : count > expected + 1 ? 'doubled' : 'single';
  const span = `from ${fmt(w.fromMs)} to ${fmt(w.toMs)} after the second subscribe`;
  const single = `one stream sends ${expected} in those ${fmt(w.toMs - w.fromMs)} (one per ${fmt(intervalMs)}; ${expected + 1} with one on each edge)`;
  const gap = Number.isFinite(minGapMs) ? `, smallest gap ${fmt(minGapMs)} (${serverClock ? 'server timestamps' : 'receive times'})` : '';
  const before = early.count === 0 ? '' : `; not counted: ${early.count} before ${fmt(w.fromMs)}` +
    (early.snapshotAfterMs !== undefined ? `, one a snapshot on subscribe ${fmt(early.snapshotAfterMs)} after the confirmation` : '');
  const detail = outcome === 'stopped'
    ? `no ${type} ${span}, where ${single}: the stream stopped${before}`
    : outcome === 'doubled'
      ? `${count} ${type} ${span}, where ${single}: two per interval${gap}: the stream doubled${before}`
      : `${count} ${type} ${span}, where ${single}${gap}: not doubled${before}`;
  return { pass: outcome === 'single', outcome, count, expected, minGapMs, detail };
}

export interface StopJudgement {
  pass: boolean;
  /** Messages within one interval (+ slack) of the unsubscribe: allowed. */
  stragglers: number;
  /** Messages after that, in the window: the channel did not stop. */
  late: number;
  detail: string;
}

/**
 * After an unsubscribe sent at `sentAt`, the channel must stop within one
 * interval: messages up to sentAt + I + slack are stragglers (a tick already
 * on its way), any later one in the window means it kept streaming. The
 * window runs one more interval, so a stream that went on shows itself.
 *   I = 2000, slack 500, unsubscribe at 0: a message at 300 ms is fine, one
 *   at 2600 ms fails; the probe watches 4.5 s whatever it sees
 */
export function judgeStopped(arrivals: readonly Arrival[], sentAt: number, intervalMs: number, slackMs: number, type: string): StopJudgement {
  const w = stopWindow(intervalMs, slackMs);
  const stragglers = arrivals.filter((a) => a.at >= sentAt && a.at < sentAt + w.fromMs).length;
  const lateOnes = arrivals.filter((a) => a.at >= sentAt + w.fromMs && a.at < sentAt + w.toMs);
  const late = lateOnes.length;
  const span = `from ${fmt(w.fromMs)} to ${fmt(w.toMs)} after the unsubscribe`;
  const strays = stragglers ? ` (${stragglers} before ${fmt(w.fromMs)}, within one interval + slack: allowed)` : '';
  const detail = late > 0
    ? `${late} ${type} ${span} (first at ${fmt(lateOnes[0].at - sentAt)}), where a stopped channel sends none: the channel kept streaming${strays}`
    : `no ${type} ${span}: the channel stopped${strays}`;
  return { pass: late === 0, stragglers, late, detail };
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
