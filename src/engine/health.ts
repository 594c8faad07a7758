import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * The load generator watches itself: when its event loop lags or its CPU is
 * pegged, latency and cadence figures describe the harness, not the target,
 * and the verdict must be inconclusive.
 */
export const EVENT_LOOP_P99_BOUND_MS = 100;
export const CPU_PEGGED_SHARE = 0.95;

export interface HarnessHealth {
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** Share of one core the harness process used (user + system). */
  cpuShare: number;
  saturated: boolean;
  reason?: string;
}

export function judgeHealth(eventLoopP99Ms: number, eventLoopMaxMs: number, cpuShare: number): HarnessHealth {
  const reasons: string[] = [];
  if (eventLoopP99Ms > EVENT_LOOP_P99_BOUND_MS) reasons.push(`event-loop delay p99 ${eventLoopP99Ms.toFixed(0)} ms > ${EVENT_LOOP_P99_BOUND_MS} ms`);
  if (cpuShare >= CPU_PEGGED_SHARE) reasons.push(`harness CPU ${(cpuShare * 100).toFixed(0)} % of a core`);
  return { eventLoopP99Ms, eventLoopMaxMs, cpuShare, saturated: reasons.length > 0, reason: reasons.join('; ') || undefined };
}

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

/** The worst of several processes' health: one saturated slice skews its figures. */
export function combineHealth(all: readonly HarnessHealth[]): HarnessHealth {
  const p99 = Math.max(0, ...all.map((h) => h.eventLoopP99Ms));
  const max = Math.max(0, ...all.map((h) => h.eventLoopMaxMs));
  const cpu = Math.max(0, ...all.map((h) => h.cpuShare));
  return judgeHealth(p99, max, cpu);
}
