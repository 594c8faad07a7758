/**
 * The load generator watches itself: when its event loop lags or its CPU is
 * pegged, latency and cadence figures describe the harness, not the target,
 * and the verdict must be inconclusive. Plain data, so it travels in a
 * metrics snapshot; engine/health.ts measures it.
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

/**
 * The worst of several processes' health, figure by figure: one saturated
 * slice skews its figures. Associative: a maximum of maxima.
 *   (p99 12 ms, CPU 40 %) and (p99 130 ms, CPU 20 %) -> p99 130 ms, CPU 40 %: saturated
 */
export function combineHealth(all: readonly HarnessHealth[]): HarnessHealth {
  const p99 = Math.max(0, ...all.map((h) => h.eventLoopP99Ms));
  const max = Math.max(0, ...all.map((h) => h.eventLoopMaxMs));
  const cpu = Math.max(0, ...all.map((h) => h.cpuShare));
  return judgeHealth(p99, max, cpu);
}
