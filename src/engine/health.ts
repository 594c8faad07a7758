import { judgeHealth, type HarnessHealth } from '../metrics/harness-health.js';
import { LoopDelayBook } from '../metrics/loop-delay.js';
import { STALL_MIN_MS, STALL_POLL_MIN_MS, StallLedger } from '../metrics/harness-stalls.js';
import { wallNow } from './time.js';

export { CPU_PEGGED_SHARE, EVENT_LOOP_P99_BOUND_MS, combineHealth, judgeHealth, type HarnessHealth } from '../metrics/harness-health.js';

/**
 * How often the loop is sampled while it has work. 10 ms: a stall counts as
 * one sample however long it lasts, and at 20 the harness's p99 at 5,000
 * clients went from ~25 to ~60 ms against the 100 ms bound (bench/README.md).
 */
const RESOLUTION_MS = 10;

/** Told of the harness's work: a message, an open, a tick of the driver. */
export interface LoopActivity {
  touch(): void;
}

/**
 * How often a JS timer looks for stalls: STALL_POLL_MIN_MS, unless the
 * profile's channels allow rarer (metrics/harness-stalls.ts, stallPollMs). Not the 10 ms of
 * the delay histogram: a JS timer's wake-up costs several times the
 * native monitor's (in a busy loop, ~6 ms of CPU a second at 10 ms against
 * ~2 at 50: about 3 % of the harness's per-message cost at 5,000 clients,
 * by bench/harness.js). A tick due while the loop is held runs once it is
 * free: late by more than STALL_MIN_MS, the loop was held from at most
 * the tick before until now. Every stall of the period + STALL_MIN_MS or
 * more is seen; a shorter one only when it ends late past a tick.
 */

/**
 * Measures the harness's own event-loop delay and CPU share over the load
 * (see metrics/harness-health.ts), and keeps the stalls it sees for the
 * cadence checks (metrics/harness-stalls.ts): the delay from a probe timer
 * that runs only while there is work (metrics/loop-delay.ts says why and
 * how the idle time is still counted), the stalls from a coarser timer.
 *
 * The probe: the first touch after an idle span sets a timer one slot
 * ahead; when it fires, the time it took is a sample, and it is set again
 * if anything touched meanwhile, or the loop is idle from then on. A touch
 * while a probe is out is one store: every message touches. One Timeout,
 * refreshed, serves every probe (no allocation per slot).
 */
export class HealthMonitor implements LoopActivity {
  private delay = new LoopDelayBook(RESOLUTION_MS, wallNow());
  readonly stalls = new StallLedger();
  private timer: NodeJS.Timeout | undefined;
  private probe: NodeJS.Timeout | undefined;
  private probing = false;
  private probeSetAt = 0;
  private touched = false;
  private running = false;
  private lastTick = 0;
  private cpuStart = process.cpuUsage();
  private startedAt = process.hrtime.bigint();

  constructor(private readonly stallPollMs = STALL_POLL_MIN_MS) {}

  start(): void {
    this.cpuStart = process.cpuUsage();
    this.startedAt = process.hrtime.bigint();
    this.lastTick = wallNow();
    this.delay = new LoopDelayBook(RESOLUTION_MS, this.lastTick);
    this.running = true;
    this.timer = setInterval(() => this.tick(), this.stallPollMs);
    this.timer.unref();
  }

  touch(): void {
    if (this.probing) this.touched = true;
    else if (this.running) this.setProbe(true);
  }

  private setProbe(afterIdle: boolean): void {
    const now = wallNow();
    if (afterIdle) this.delay.busy(now);
    this.probeSetAt = now;
    this.touched = false;
    this.probing = true;
    if (this.probe) this.probe.refresh();
    else this.probe = setTimeout(() => this.probed(), RESOLUTION_MS).unref();
  }

  private probed(): void {
    const now = wallNow();
    this.delay.probed(this.probeSetAt, now);
    this.probing = false;
    if (this.touched) this.setProbe(false);
    else this.delay.rest(now);
  }

  private tick(): void {
    const now = wallNow();
    if (now - this.lastTick > this.stallPollMs + STALL_MIN_MS) this.stalls.add(this.lastTick, now);
    this.lastTick = now;
  }

  /** Current event-loop delay p99 in ms (for the progress line). */
  loopP99Ms(): number {
    return this.delay.percentileMs(99, wallNow());
  }

  stop(): HarnessHealth {
    clearInterval(this.timer);
    this.timer = undefined;
    clearTimeout(this.probe);
    this.probing = false;
    this.running = false;
    const cpu = process.cpuUsage(this.cpuStart);
    const elapsedUs = Number(process.hrtime.bigint() - this.startedAt) / 1000;
    const cpuShare = elapsedUs > 0 ? (cpu.user + cpu.system) / elapsedUs : 0;
    return judgeHealth(this.delay.percentileMs(99, wallNow()), this.delay.maxMs(), cpuShare);
  }
}
