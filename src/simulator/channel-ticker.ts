import { alignedSchedule, firstIndexAfter, nextIndex, reschedule, tickTime, type TickSchedule } from './tick-clock.js';

/**
 * The one timer of a channel. It fires at `tickTime(index)` on the wall clock
 * (see tick-clock.ts) and hands the index and its scheduled instant to the
 * simulator, which builds the message once and broadcasts it. Timers are
 * unref'd: the listening server is what keeps a process alive.
 */
export class ChannelTicker {
  private schedule: TickSchedule;
  private pending = NaN;
  private lastFired = NaN;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly nominalMs: number,
    /** `skipped`: ticks before this one never sent because the loop was blocked past them. */
    private readonly onTick: (index: number, scheduledAt: number, skipped: number) => void,
    /** Ticks at phaseMs past the epoch grid (a per-client phase); 0 is the grid itself. */
    phaseMs = 0,
  ) {
    const aligned = alignedSchedule(nominalMs);
    this.schedule = phaseMs === 0 ? aligned : { ...aligned, anchorMs: phaseMs };
  }

  start(nowMs: number = Date.now()): void {
    this.pending = firstIndexAfter(this.schedule, nowMs);
    this.arm();
  }

  /** When the armed tick is due (NaN when stopped). */
  get dueAt(): number {
    return tickTime(this.schedule, this.pending);
  }

  /** Changes the period from the tick after the one already armed (cadence drift). */
  setPeriod(periodMs: number): void {
    if (Number.isNaN(this.pending)) return;
    const next = reschedule(this.schedule, this.pending, periodMs, this.nominalMs);
    this.schedule = next.schedule;
    this.pending = next.index;
    this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = NaN;
  }

  private arm(): void {
    clearTimeout(this.timer);
    const due = tickTime(this.schedule, this.pending);
    this.timer = setTimeout(this.fire, Math.max(0, due - Date.now()));
    this.timer.unref();
  }

  private readonly fire = (): void => {
    const index = this.pending;
    const due = tickTime(this.schedule, index);
    const now = Date.now();
    // Timers run on the monotonic clock and may wake a hair before the wall
    // clock reaches `due`; wait out the remainder rather than fire early.
    if (now < due) {
      this.arm();
      return;
    }
    const previous = this.lastFired;
    this.lastFired = index;
    this.pending = nextIndex(this.schedule, index, now);
    this.arm();
    this.onTick(index, due, Number.isNaN(previous) ? 0 : Math.max(0, index - previous - 1));
  };
}
