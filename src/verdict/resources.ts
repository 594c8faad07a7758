import type { ResourceSeries } from '../engine/resource-sampler.js';
import type { CriterionResult } from './criteria.js';
import { judgeServerCpu } from './criteria/server-cpu.js';
import { judgeServerMemory } from './criteria/server-memory.js';
import type { Thresholds } from './thresholds.js';

export { MIN_CPU_POINTS } from './criteria/server-cpu.js';
export { CALIBRATED_MEMORY_WINDOW_MS, judgeMemory, memoryTrend, MIN_MEMORY_POINTS, type MemoryJudgement, type MemoryTrend } from './memory-trend.js';

/** `server_cpu` and `server_memory` from one sampled series (each judged by its module; see there). */
export interface ResourceJudgement {
  server_cpu: CriterionResult;
  server_memory: CriterionResult;
}

export function judgeResources(series: ResourceSeries, steadyStartMs: number, steadyEndMs: number, thresholds: Thresholds): ResourceJudgement {
  return {
    server_cpu: judgeServerCpu(series, steadyStartMs, steadyEndMs, thresholds),
    server_memory: judgeServerMemory(series, steadyStartMs, steadyEndMs, thresholds),
  };
}
