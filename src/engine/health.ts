import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { judgeHealth, type HarnessHealth } from '../metrics/harness-health.js';

export { CPU_PEGGED_SHARE, EVENT_LOOP_P99_BOUND_MS, combineHealth, judgeHealth, type HarnessHealth } from '../metrics/harness-health.js';

/** Measures the harness's own event-loop delay and CPU share over the load (see metrics/harness-health.ts). */
export class HealthMonitor {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private cpuStart = process.cpuUsage();
  private startedAt = process.hrtime.bigint();

  start(): void {
    this.loop.enable();
    this.cpuStart = process.cpuUsage();
    this.startedAt = process.hrtime.bigint();
  }

  /** Current event-loop delay p99 in ms (for the progress line). */
  loopP99Ms(): number {
    return this.loop.count > 0 ? this.loop.percentile(99) / 1e6 : 0;
  }

  stop(): HarnessHealth {
    this.loop.disable();
    const cpu = process.cpuUsage(this.cpuStart);
    const elapsedUs = Number(process.hrtime.bigint() - this.startedAt) / 1000;
    const cpuShare = elapsedUs > 0 ? (cpu.user + cpu.system) / elapsedUs : 0;
    const p99 = this.loop.count > 0 ? this.loop.percentile(99) / 1e6 : 0;
    const max = this.loop.count > 0 ? this.loop.max / 1e6 : 0;
    return judgeHealth(p99, max, cpuShare);
  }
}
