import type { CheckContext } from '../checks/context.js';
import type { IntervalSnapshot } from '../metrics/interval.js';
import type { CutRound } from '../scenario/chaos-plan.js';
import type { ChurnEvent } from '../scenario/churn-plan.js';
import type { LoadPlan } from '../scenario/plan.js';
import { StreamClient, type ClientConfig } from './client.js';
import type { ConnectFailure } from './connect-errors.js';
import { FirstAttempts } from './first-attempts.js';
import { wallNow } from './time.js';

export type Phase = 'starting' | 'ramp' | 'steady' | 'closing' | 'done';

export interface RunProgress {
  phase: Phase;
  elapsedMs: number;
  open: number;
  planned: number;
  messagesPerSec: number;
  /** p99 of the last whole second's messages, ms; null when that second had none (the first tick, a stall). */
  latencyP99Ms: number | null;
  /** Violations of the stream (failed opens are counted apart, below). */
  violations: number;
  disconnects: number;
  /** Failed opens so far, first tries and retries. */
  connectFailures?: number;
  /** The latest failed open's cause, in words. */
  connectFailure?: string;
}

/**
 * How often the driver compares open clients with the plan: finely while
 * clients are opening (a ramp of 1,000 clients over 5 s is one every 5 ms),
 * coarsely once the plan holds (a ramp-down or a cut 100 ms late is fine, and
 * 100 wake-ups a second are a fixed cost a small run would feel).
 */
const SCHEDULE_RAMP_MS = 10;
const SCHEDULE_HOLD_MS = 100;

/**
 * The drain: after the plan, the clients stay open until every tick stamped
 * in the steady phase has come (or its loss is certain), at most this long.
 * A loaded target or harness delivers the last ticks late; closing the books
 * at once would count late as lost. Ticks later than this are lost. A
 * healthy run has nothing due at the end and does not wait; a stream that
 * has stalled, or already sent a newer tick, is not waited for.
 */
export const DRAIN_MAX_MS = 5000;
const DRAIN_POLL_MS = 50;

/**
 * Drives clients along the load plan: opens them as the plan rises, closes
 * the newest as it falls, cuts the planned ones on each chaos round, closes
 * and reopens the planned ones for churn, and reports progress once a second. Resolves when the plan ends or `stop()`
 * is called; the clients are then closed and their books finished.
 */
export class LoadDriver {
  private readonly clients: StreamClient[] = [];
  /** Started and not yet stopped, oldest first. */
  private readonly active: StreamClient[] = [];
  private readonly stopping: Promise<void>[] = [];
  private open = 0;
  private done?: () => void;
  private readonly firstAttempts: FirstAttempts;
  private connectFailures = 0;
  private lastFailure: ConnectFailure | undefined;
  /** Why the run ended before its plan, when every first open failed the same way. */
  stoppedEarly: ConnectFailure | undefined;
  /** Set by stop(), also before drive() has begun: a signal then must not be lost. */
  private stopped = false;

  constructor(
    private readonly ctx: CheckContext,
    private readonly config: ClientConfig,
    private readonly plan: LoadPlan,
    private readonly rounds: readonly CutRound[],
    /** Once a second: the progress, and what the second added to the metrics (interval.ts). */
    private readonly onTick: (p: RunProgress, interval: IntervalSnapshot) => void,
    private readonly churn: readonly ChurnEvent[] = [],
    /** Whether a run no client can connect in ends early (first-attempts.ts). */
    private readonly stopWhenHopeless = true,
  ) {
    this.firstAttempts = new FirstAttempts(plan.peak);
  }

  private onOpenChange(delta: 1 | -1): void {
    this.open += delta;
    if (delta > 0) this.firstAttempts.open();
  }

  private onConnectFailed(failure: ConnectFailure, first: boolean): void {
    this.connectFailures += 1;
    this.lastFailure = failure;
    if (first) this.firstAttempts.failure(failure);
  }

  /** Ends the plan early (interrupt); `drive()` then closes everyone. */
  stop(): void {
    this.stopped = true;
    this.done?.();
  }

  /** Runs the plan to its end (or `stop()`); the clients stay open for `close()`. */
  async drive(startedAt: number): Promise<number> {
    const { ctx, plan } = this;
    const recorder = ctx.recorder;
    const longest = Math.max(...ctx.profile.channels.map((c) => c.intervalMs));
    let nextRound = 0;
    let nextChurn = 0;
    let lastFrames = 0;
    let lastTickAt = startedAt;
    await new Promise<void>((resolve) => {
      const schedule = () => {
        const elapsed = wallNow() - startedAt;
        const target = plan.openAt(elapsed);
        while (this.active.length < target) {
          const c = new StreamClient(this.clients.length, this.config, ctx, (d) => this.onOpenChange(d), (f, first) => this.onConnectFailed(f, first));
          this.clients.push(c);
          this.active.push(c);
          c.start();
        }
        while (this.active.length > target) this.stopping.push(this.active.pop()!.stop());
        while (nextRound < this.rounds.length && this.rounds[nextRound].atMs <= elapsed) {
          const round = this.rounds[nextRound++];
          round.clients.forEach((i, j) => this.clients[i]?.cut(round.modes[j]));
        }
        while (nextChurn < this.churn.length && this.churn[nextChurn].atMs <= elapsed) this.clients[this.churn[nextChurn++].client]?.churn();
        const hopeless = this.stopWhenHopeless ? this.firstAttempts.hopeless(elapsed) : undefined;
        if (hopeless) {
          // connect has failed already and nothing else can be measured: end now, not after the whole plan
          this.stoppedEarly = hopeless;
          recorder.count('stopped_early');
          this.stopped = true;
          finish();
        } else if (elapsed >= plan.totalMs) finish();
      };
      const tick = () => {
        this.config.activity?.touch();
        const now = wallNow();
        recorder.open(now, this.open);
        ctx.ledger.prune(longest);
        const frames = recorder.frames;
        const elapsed = now - startedAt;
        this.onTick({
          phase: elapsed < plan.steadyStartMs ? 'ramp' : elapsed < plan.steadyEndMs ? 'steady' : 'closing',
          elapsedMs: elapsed,
          open: this.open,
          planned: plan.peak,
          // over the real time since the last tick: a busy event loop fires the 1 s timer late
          messagesPerSec: Math.round(((frames - lastFrames) * 1000) / Math.max(1, now - lastTickAt)),
          latencyP99Ms: recorder.secondStats(Math.floor(now / 1000) - 1).latencyP99Ms,
          violations: recorder.counter('violations') - recorder.counter('violation:connect_failed'),
          disconnects: recorder.counter('disconnects_unintended'),
          connectFailures: this.connectFailures,
          connectFailure: this.lastFailure?.text,
        }, recorder.interval(now));
        lastFrames = frames;
        lastTickAt = now;
      };
      let scheduleTimer: NodeJS.Timeout | undefined;
      const loop = () => {
        this.config.activity?.touch();
        schedule();
        if (this.done === undefined) return;
        const elapsed = wallNow() - startedAt;
        // wake in time for the end of the plan, whatever the step
        const step = elapsed < plan.steadyStartMs ? SCHEDULE_RAMP_MS : SCHEDULE_HOLD_MS;
        scheduleTimer = setTimeout(loop, Math.max(1, Math.min(step, plan.totalMs - elapsed)));
      };
      const tickTimer = setInterval(tick, 1000);
      const finish = () => {
        clearTimeout(scheduleTimer);
        clearInterval(tickTimer);
        this.done = undefined;
        resolve();
      };
      this.done = finish;
      if (this.stopped) finish();
      else loop();
    });
    const endedAt = wallNow();
    // The steady phase ends when the clients are told to stop: early when
    // interrupted, and never after the moment their books are closed.
    ctx.steadyEndMs = Math.min(ctx.steadyEndMs, endedAt);
    // a run stopped early in its ramp had no steady phase: an empty one at the end, not one that ends before it starts
    if (this.stoppedEarly) ctx.steadyStartMs = Math.min(ctx.steadyStartMs, ctx.steadyEndMs);
    recorder.open(endedAt, this.open);
    if (!this.stopped) await this.drain(endedAt);
    return endedAt;
  }

  /** Waits (DRAIN_MAX_MS at most, or until stop()) for the ticks still due from the steady phase. */
  private async drain(from: number): Promise<void> {
    const deadline = from + DRAIN_MAX_MS;
    const due = () => {
      const now = wallNow();
      return this.active.some((c) => !c.settled(now));
    };
    while (!this.stopped && wallNow() < deadline && due()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DRAIN_POLL_MS);
        this.done = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.done = undefined;
    }
    this.ctx.recorder.observe('drain_us', (wallNow() - from) * 1000);
  }

  /** Closes every client cleanly (or destroys it after the close timeout) and finishes the books. */
  async close(): Promise<void> {
    for (const c of this.active.splice(0)) this.stopping.push(c.stop());
    await Promise.all(this.stopping);
    this.ctx.recorder.count('clients_planned', this.plan.peak);
  }
}
