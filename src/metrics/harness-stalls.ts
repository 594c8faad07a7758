/**
 * When the harness's own event loop was blocked (a long GC, a slow
 * callback, the process descheduled on a busy machine). A message read in
 * such a stall, or just after it, was waiting in the socket buffer: it may
 * have come any time from the stall's start, so its receive time says
 * nothing about the target's cadence within that span
 * (checks/cadence.ts, stallCouldExplain). engine/health.ts fills it from
 * the event-loop monitor's ticks.
 *   ticks at 1000 and 1600 (250 ms apart expected) -> stall 1000..1600;
 *   a message read at 1605 may have come from 1000 on
 */

/** Loop blocks shorter than this are not kept: no cadence bound is that tight (0.5 x a 100 ms interval is 50). */
export const STALL_MIN_MS = 40;
/** The stall timer's shortest period (engine/health.ts says why not the delay monitor's 10 ms). */
export const STALL_POLL_MIN_MS = 50;
/**
 * How often the health monitor's timer looks for stalls (engine/health.ts),
 * for channels as fast as `shortestIntervalMs`. A stall only matters to a
 * cadence judgement when it holds a read back by half an interval (past
 * 1.5x, or a next gap under 0.5x), and the timer sees every stall of its
 * period + STALL_MIN_MS: so the period may be half the shortest interval
 * less that, from 50 ms to 250 ms. Each wake-up of a JS timer costs CPU
 * in a busy loop: at 1 s channels 4 a second, not 20, is ~2 % of the
 * harness's per-message cost at 5,000 clients (bench/harness.js).
 *   1000 -> 250; 200 -> 60; 100 -> 50 (a 100 ms channel's 50 ms bound is then missed by stalls under 90 ms)
 */
export function stallPollMs(shortestIntervalMs: number): number {
  return Math.max(STALL_POLL_MIN_MS, Math.min(250, Math.floor(shortestIntervalMs / 2) - STALL_MIN_MS));
}

/** Messages read this soon after a stall ends are the burst it held back. */
export const STALL_READ_SLACK_MS = 20;
/** An hour at several long stalls a second; past this the ledger stops growing and later gaps are judged as read. */
export const STALL_LEDGER_CAP = 100_000;

/** The earliest a message read at `readMs` (harness wall ms) may have come in. */
export interface StallLookup {
  arrivedFrom(readMs: number): number;
}

/** No stalls known (a browser page's frames, a unit test): every message came when it was read. */
export const NO_STALLS: StallLookup = { arrivedFrom: (readMs) => readMs };

export class StallLedger implements StallLookup {
  // appended in time order, so a lookup is a binary search
  private readonly from: number[] = [];
  private readonly to: number[] = [];

  get count(): number {
    return this.from.length;
  }

  /** The loop ran nothing from `fromMs` to `toMs`. One that joins the last stall extends it. */
  add(fromMs: number, toMs: number): void {
    const last = this.to.length - 1;
    if (last >= 0 && fromMs <= this.to[last] + STALL_READ_SLACK_MS) {
      this.to[last] = Math.max(this.to[last], toMs);
      return;
    }
    if (this.from.length >= STALL_LEDGER_CAP) return;
    this.from.push(fromMs);
    this.to.push(toMs);
  }

  arrivedFrom(readMs: number): number {
    // the last stall that started before the read
    let lo = 0;
    let hi = this.from.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.from[mid] < readMs) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || readMs > this.to[found] + STALL_READ_SLACK_MS) return readMs;
    return this.from[found];
  }
}
