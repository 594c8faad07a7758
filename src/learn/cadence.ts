import { byConnection, median, num, quantile, type Message } from './observed.js';

/**
 * A channel's interval from what each connection saw of it. Server
 * timestamps are the better clock (no network jitter) when the messages
 * carry them; receive times otherwise. Robust to jitter (the median, then
 * the mean of the gaps near it), to a lost message (a double gap is far
 * from the median), and to a snapshot at subscribe (a first message that
 * comes early: the gap after it is short, and it is left out).
 *   ts gaps 500, 500, 501, 1000 (a loss), 499 -> 500ms; spread 499-1000
 *   first after 3 ms, then 480, 500, 500 later -> snapshot, 500ms
 */
export interface CadenceGuess {
  readonly intervalMs: number;
  /** The first message on some connection came well before a full interval after the one it opened with. */
  readonly snapshot: boolean;
  readonly why: string;
  readonly snapshotWhy: string;
  /** Too few gaps to trust the figure. */
  readonly thin: boolean;
}

/** Gaps within this share of the median are the cadence; the rest are losses, bursts or snapshots. */
const NEAR = 0.25;
const FEW_GAPS = 5;

/** Rounds to a figure people write (10 ms steps, or whole ms), when that changes it by under `within` (1 %). */
export function niceInterval(ms: number, within = 0.01): number {
  for (const step of [1000, 100, 50, 10, 1]) {
    const r = Math.round(ms / step) * step;
    if (r > 0 && Math.abs(r - ms) / ms < within) return r;
  }
  return Math.max(1, Math.round(ms));
}

export function formatInterval(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function gapsOf(times: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < times.length; i++) out.push(times[i] - times[i - 1]);
  return out;
}

export function inferCadence(messages: readonly Message[]): CadenceGuess {
  const perConn = [...byConnection(messages).values()];
  const useTs = messages.every((m) => m.tsMs !== undefined);
  const tsGaps: number[] = [];
  const recvGaps: number[] = [];
  const firstGaps: number[] = [];
  for (const list of perConn) {
    const recv = list.map((m) => m.at);
    const g = gapsOf(recv);
    if (g.length > 0) firstGaps.push(g[0]);
    recvGaps.push(...g.slice(1));
    if (useTs) {
      // a snapshot carries the stamp of the tick it shows early: one stamp, one tick
      const stamps = [...new Set(list.map((m) => m.tsMs!))].sort((a, b) => a - b);
      tsGaps.push(...gapsOf(stamps).slice(1));
    }
  }
  const gaps = useTs && tsGaps.length > 0 ? tsGaps : recvGaps.length > 0 ? recvGaps : firstGaps;
  const mid = median(gaps);
  const near = gaps.filter((g) => Math.abs(g - mid) <= NEAR * mid);
  const mean = near.reduce((a, b) => a + b, 0) / Math.max(1, near.length);
  const intervalMs = Number.isFinite(mean) && mean > 0 ? niceInterval(mean) : 1000;
  const early = firstGaps.filter((g) => g < (1 - NEAR) * intervalMs);
  const spread = recvGaps.length > 0 ? `receive gaps p10 ${num(quantile(recvGaps, 0.1))} ms, p90 ${num(quantile(recvGaps, 0.9))} ms` : 'no receive gaps after the first';
  return {
    intervalMs,
    snapshot: early.length > 0,
    thin: gaps.length < FEW_GAPS,
    why: gaps.length === 0
      ? 'one message per connection: the interval is a placeholder'
      : `mean of ${near.length} of ${gaps.length} ${gaps === tsGaps ? 'server-timestamp' : 'receive'} gaps near the median ${num(mid)} ms; ${spread}`,
    snapshotWhy: early.length > 0
      ? `on ${early.length} of ${firstGaps.length} connection(s) the first message came ${num(Math.min(...early))} ms before the next: a message at subscribe, ahead of the first tick`
      : `no connection saw its first message much sooner than an interval before the next`,
  };
}
