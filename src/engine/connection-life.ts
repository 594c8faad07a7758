/**
 * The life of one client's connection, as a pure state machine: whether it
 * is open, why it closed (the harness's stop, cut or churn, a protocol
 * violation, or the target), whether it is coming back from something, and
 * whether it held through the steady phase. Every transition takes the
 * time and returns what happened; the client (client.ts) turns that into
 * the recorder's books and the sockets' actions. No socket, no clock, no
 * recorder here: test/unit/connection-life.test.ts drives it by hand.
 *
 *   open at 0, steady 1000..5000, target closes at 3000, reopens at 4000,
 *   first channel message at 4100, stop at 5000
 *     -> closed 'target' (steady broken), opened { reconnectedAfterMs 1000 },
 *        message { reconnectFirstMs 1100 }, stop { held: false }
 */

/** Why a connection ended: the harness's own doing, a protocol violation, or the target's (`target`). */
export type Ending = 'stop' | 'cut' | 'churn' | 'rejected' | 'target';

export interface Opened {
  /** The client's first attempt, and it worked. */
  first: boolean;
  /** Back after a loss the harness did not cause, this long after it. */
  reconnectedAfterMs?: number;
  /** Reopened after a harness cut: how long after, and the cut's time (for its books of time away). */
  cutReopen?: { afterMs: number; cutAt: number };
  /** A churn close is over: the reopen opened. */
  churnEnded?: number;
}

export interface Returned {
  /** The first channel message after a loss, this long after it. */
  reconnectFirstMs?: number;
  /** The first channel message after a cut, this long after it: the cut is over. */
  cutBackMs?: number;
}

export interface Failed {
  first: boolean;
  /** The reopen after a churn close failed: the churn's time away ends, a loss begins. */
  churnEnded?: number;
}

export interface Closed {
  /** Why, when the connection had opened (undefined: an attempt that never opened). */
  ending?: Ending;
  /** What the client does next. */
  next: 'reopen' | 'backoff' | 'none';
}

export interface Stopped {
  held: boolean;
  /** A churn close still away at the stop, since this time. */
  churnEnded?: number;
  /** A cut not back by the stop: whether it had reopened, and since when away. */
  cutNotBack?: { reopened: boolean; cutAt: number };
}

export class ConnectionLife {
  /** Reconnect attempts since the last open (the policy's counter). */
  attempt = 0;
  open = false;
  private firstAttemptDone = false;
  private ending: Ending | undefined;
  private stopped = false;
  private lostAt: number | undefined;
  private cutAt: number | undefined;
  private cutReopened = false;
  private firstOpenedAt: number | undefined;
  private churnedAt: number | undefined;
  private steadyBroken = false;

  constructor(
    /** Steady phase bounds, read when needed (they move once the run ends). */
    private readonly steady: () => { startMs: number; endMs: number },
  ) {}

  /** Coming back from a loss or a cut: the client looks at each message's type until it is back. */
  get returning(): boolean {
    return this.lostAt !== undefined || this.cutAt !== undefined;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Closed for churn and not yet reopened. */
  get churned(): boolean {
    return this.churnedAt !== undefined;
  }

  opened(now: number): Opened {
    const out: Opened = { first: !this.firstAttemptDone };
    this.firstAttemptDone = true;
    this.firstOpenedAt ??= now;
    if (this.lostAt !== undefined) out.reconnectedAfterMs = now - this.lostAt;
    if (this.cutAt !== undefined && !this.cutReopened) {
      this.cutReopened = true;
      out.cutReopen = { afterMs: now - this.cutAt, cutAt: this.cutAt };
    }
    if (this.churnedAt !== undefined) {
      out.churnEnded = this.churnedAt;
      this.churnedAt = undefined;
    }
    this.attempt = 0;
    this.open = true;
    return out;
  }

  /** A message of one of the profile's channels arrived. */
  channelMessage(now: number): Returned {
    const out: Returned = {};
    if (this.lostAt !== undefined) {
      out.reconnectFirstMs = now - this.lostAt;
      this.lostAt = undefined;
    }
    if (this.cutAt !== undefined) {
      out.cutBackMs = now - this.cutAt;
      this.cutAt = undefined;
    }
    return out;
  }

  /** An attempt failed before it opened. */
  connectFailed(now: number): Failed {
    const out: Failed = { first: !this.firstAttemptDone };
    this.firstAttemptDone = true;
    if (this.churnedAt !== undefined) {
      // the target refused the page coming back: from here it is a loss the harness did not cause
      out.churnEnded = this.churnedAt;
      this.churnedAt = undefined;
      this.lost(now);
    }
    return out;
  }

  /** The transport broke the protocol on an open connection and ends it. */
  rejected(): void {
    this.ending = 'rejected';
  }

  /** Whether an error on the open connection is the target's (not while the harness itself cuts or stops it). */
  get unprovoked(): boolean {
    return this.ending === undefined;
  }

  /** The harness asks to close for churn: only an open client not already coming back from something. */
  requestChurn(): boolean {
    if (!this.open || this.ending !== undefined || this.cutAt !== undefined || this.lostAt !== undefined) return false;
    this.ending = 'churn';
    return true;
  }

  /** The harness asks to cut (chaos): not one already closing. */
  requestCut(): boolean {
    if (!this.open || this.ending !== undefined) return false;
    this.ending = 'cut';
    return true;
  }

  closed(now: number, wasOpen: boolean): Closed {
    const ending = wasOpen ? (this.ending ?? 'target') : undefined;
    this.ending = undefined;
    if (wasOpen) {
      this.open = false;
      if (ending === 'churn') this.churnedAt = now;
      else if (ending === 'cut') {
        this.cutAt = now;
        this.cutReopened = false;
      } else if (ending === 'target' || ending === 'rejected') this.lost(now);
    }
    if (this.stopped) return { ending, next: 'none' };
    // a page reopens its socket at once; a target's drop goes by the policy
    return { ending, next: ending === 'churn' ? 'reopen' : 'backoff' };
  }

  /** Ends the client for good (the run's end, or a ramp-down). */
  stop(now: number): Stopped {
    this.stopped = true;
    const first = this.firstOpenedAt;
    // Held: open since before the steady phase, never dropped by the target
    // meanwhile (a harness cut it came back from does not count against it).
    const out: Stopped = { held: this.open && !this.steadyBroken && first !== undefined && first <= this.steady().startMs };
    if (this.churnedAt !== undefined) {
      out.churnEnded = this.churnedAt;
      this.churnedAt = undefined;
    }
    if (this.cutAt !== undefined) out.cutNotBack = { reopened: this.cutReopened, cutAt: this.cutAt };
    this.ending = 'stop';
    return out;
  }

  private lost(now: number): void {
    this.lostAt = now;
    if (now < this.steady().endMs) this.steadyBroken = true;
  }
}
