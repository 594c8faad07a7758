/**
 * Pure judgements of what the probe client saw of one channel: did a second
 * subscribe double the stream, did unsubscribe stop it. Arrivals carry the
 * receive time and, when the message had one, the server's timestamp.
 */

export interface Arrival {
  /** Epoch ms the message was received. */
  at: number;
  /** Server timestamp of the message (ms), when it had one. */
  timestamp?: number;
}

export interface DoublingJudgement {
  pass: boolean;
  /** Messages in the window. */
  count: number;
  /** Most messages one stream can deliver in the window. */
  maxSingle: number;
  /** Smallest gap between consecutive messages, ms (server clock when every message has a timestamp). */
  minGapMs: number;
  detail: string;
}

/**
 * A single stream of period I delivers at most floor(W / I) + 1 messages in
 * a window W, spaced about I apart. A doubled stream (two streams of the same
 * channel, at any phase offset) shows either a gap under I / 2 (offsets other
 * than exactly half a period) or more messages than one stream can send.
 * Example, I = 2000, W = 4500: one stream gives 2 or 3 messages 2000 apart;
 * two streams started 300 ms apart give 4-6 with gaps of 300 and 1700.
 * Gaps are taken on the server's timestamps when every message has one, so
 * network jitter bunching two messages does not read as doubling; two
 * messages with one timestamp (the same tick sent twice) are a gap of 0.
 * `before` is the channel's last message before the window, if any, so the
 * first gap counts too. An empty window fails: the stream stopped.
 */
export function judgeDoubling(arrivals: readonly Arrival[], intervalMs: number, windowMs: number, before?: Arrival): DoublingJudgement {
  const maxSingle = Math.floor(windowMs / intervalMs) + 1;
  const count = arrivals.length;
  if (count === 0) return { pass: false, count, maxSingle, minGapMs: Infinity, detail: `no message in ${fmt(windowMs)} after the second subscribe: the stream stopped` };
  const all = before ? [before, ...arrivals] : [...arrivals];
  const serverClock = all.every((a) => a.timestamp !== undefined);
  const times = all.map((a) => (serverClock ? a.timestamp! : a.at));
  let minGapMs = Infinity;
  for (let i = 1; i < times.length; i++) minGapMs = Math.min(minGapMs, Math.abs(times[i] - times[i - 1]));
  const tooMany = count > maxSingle;
  const tooClose = minGapMs < intervalMs / 2;
  const clock = serverClock ? 'server timestamps' : 'receive times';
  const gap = Number.isFinite(minGapMs) ? `smallest gap ${fmt(minGapMs)} (${clock})` : 'one message';
  const detail = `${count} message(s) in ${fmt(windowMs)} (one stream: at most ${maxSingle}), ${gap}` +
    (tooMany || tooClose ? ': the stream doubled' : '');
  return { pass: !tooMany && !tooClose, count, maxSingle, minGapMs, detail };
}

/** True as soon as the arrivals so far already show doubling (lets the probe stop early). */
export function doublingEvident(arrivals: readonly Arrival[], intervalMs: number, windowMs: number, before?: Arrival): boolean {
  if (arrivals.length === 0) return false;
  return !judgeDoubling(arrivals, intervalMs, windowMs, before).pass;
}

export interface StopJudgement {
  pass: boolean;
  /** Messages within one interval (+ slack) of the unsubscribe: allowed. */
  stragglers: number;
  /** Messages after that: the channel did not stop. */
  late: number;
  detail: string;
}

/**
 * After an unsubscribe sent at `sentAt`, the channel must stop within one
 * interval: messages up to sentAt + I + slack are stragglers (a tick already
 * on its way), any later one means it kept streaming. Example, I = 2000,
 * slack 500, unsubscribe at 0: messages at 300 ms are fine, one at 2600 ms
 * fails. Watching until sentAt + 2I + slack gives a stream that went on
 * a full period to show itself.
 */
export function judgeStopped(arrivals: readonly Arrival[], sentAt: number, intervalMs: number, slackMs: number, watchedMs: number): StopJudgement {
  const bound = sentAt + intervalMs + slackMs;
  const stragglers = arrivals.filter((a) => a.at <= bound).length;
  const lateOnes = arrivals.filter((a) => a.at > bound);
  const late = lateOnes.length;
  const detail = late > 0
    ? `${late} message(s) more than ${fmt(intervalMs + slackMs)} after the unsubscribe (first at ${fmt(lateOnes[0].at - sentAt)}): the channel kept streaming`
    : `none after ${fmt(intervalMs + slackMs)} in ${fmt(watchedMs)} watched` + (stragglers ? ` (${stragglers} straggler(s) within one interval)` : '');
  return { pass: late === 0, stragglers, late, detail };
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
