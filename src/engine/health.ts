import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { judgeHealth, type HarnessHealth } from '../metrics/harness-health.js';
import { STALL_MIN_MS, STALL_POLL_MIN_MS, StallLedger } from '../metrics/harness-stalls.js';
import { wallNow } from './time.js';

export { CPU_PEGGED_SHARE, EVENT_LOOP_P99_BOUND_MS, combineHealth, judgeHealth, type HarnessHealth } from '../metrics/harness-health.js';

/**
 * How often the loop is sampled. 10 ms: at 20 the cost halves on these VMs
 * (each wake-up of an idle loop is ~100 µs) but a stall counts as one
 * sample however long it lasts, and the harness's p99 at 5,000 clients
 * went from ~25 to ~60 ms against the 100 ms bound (bench/README.md).
 */
const RESOLUTION_MS = 10;

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
 * cadence checks (metrics/harness-stalls.ts): the delay from Node's native
 * monitor, the stalls from a coarser JS timer.
 */
export class HealthMonitor {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  readonly stalls = new StallLedger();
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private cpuStart = process.cpuUsage();
  private startedAt = process.hrtime.bigint();

  constructor(private readonly stallPollMs = STALL_POLL_MIN_MS) {}

  start(): void {
    this.cpuStart = process.cpuUsage();
    this.startedAt = process.hrtime.bigint();
    this.loop.enable();
    this.lastTick = wallNow();
    this.timer = setInterval(() => this.tick(), this.stallPollMs);
    this.timer.unref();
  }

  private tick(): void {
    const now = wallNow();
    if (now - this.lastTick > this.stallPollMs + STALL_MIN_MS) this.stalls.add(this.lastTick, now);
    this.lastTick = now;
  }

  /** Current event-loop delay p99 in ms (for the progress line). */
  loopP99Ms(): number {
    return this.loop.count > 0 ? this.loop.percentile(99) / 1e6 : 0;
  }

  stop(): HarnessHealth {
    clearInterval(this.timer);
    this.timer = undefined;
    this.loop.disable();
    const cpu = process.cpuUsage(this.cpuStart);
    const elapsedUs = Number(process.hrtime.bigint() - this.startedAt) / 1000;
    const cpuShare = elapsedUs > 0 ? (cpu.user + cpu.system) / elapsedUs : 0;
    const p99 = this.loop.count > 0 ? this.loop.percentile(99) / 1e6 : 0;
    const max = this.loop.count > 0 ? this.loop.max / 1e6 : 0;
    return judgeHealth(p99, max, cpuShare);
  }
}
