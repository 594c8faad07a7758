import type { ResourceSeries } from '../../metrics/resource-series.js';
import type { CriterionResult } from '../criteria.js';
import { FIGURE_NAME, inSteady, judgeMemory, MIN_MEMORY_POINTS, type MemoryJudgement } from '../memory-trend.js';
import { judgeMemoryPerConnection, perConnectionThreshold, withPerConnection } from './memory-per-connection.js';
import { num, pct as pct2, pctText, skipped } from './format.js';
import { resourceOrigin } from './server-cpu.js';
import { judgeAcrossSources } from './sources.js';
import type { Criterion, Thresholds } from './types.js';

/**
 * `server_memory` from a sampled series, over the steady phase only, judged
 * through the target's collections (memory-floors.ts): a line through the
 * floors left after each collection, so a heap still filling is not a leak
 * and a leak is not hidden by the saw-tooth. It fails when that slope
 * reaches the bound (1 MB/min; MB = 2^20 bytes) or the growth it makes over
 * the phase reaches the growth bound (10 %) of the floor at the start. A
 * window that does not grow passes without collections; one that grows with
 * too few collections to fit, or that never fell over less than 10 min, is
 * `skipped` with the reason (a false fail would block a release for a heap
 * still filling). From a Micrometer endpoint the JVM's heap is judged rather
 * than its RSS (memory-trend.ts). Fewer than MIN_MEMORY_POINTS samples skip.
 *
 * Sensitivity: bench/memory-slope.js (bench/README.md has the figures).
 */
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

function observedText({ trend, growth }: MemoryJudgement): string {
  const window = `slope ${trend.slopeMBPerMin.toFixed(2)} ± ${trend.slopeStdErrMBPerMin.toFixed(2)} MB/min, growth ${pct(trend.growthShare)}`;
  switch (growth.basis) {
    case 'floors': return `floors ${growth.slopeMBPerMin.toFixed(2)} MB/min, growth ${pct(growth.growthShare)} (${growth.floors.length} floors)`;
    case 'levelled': return `${window}; last third ${growth.slopeMBPerMin.toFixed(2)} MB/min (levelled off)`;
    case 'rising': return `${window}; never fell, last third ${growth.slopeMBPerMin.toFixed(2)} MB/min`;
    default: return window;
  }
}

export function judgeServerMemory(series: ResourceSeries, steadyStartMs: number, steadyEndMs: number, thresholds: Thresholds): CriterionResult {
  const threshold = `slope < ${thresholds.memorySlopeMBPerMin} MB/min and growth < ${pct(thresholds.memoryGrowthShare)}`;
  const { origin, errors, notes } = resourceOrigin(series);
  const judged = judgeMemory(series.points, steadyStartMs, steadyEndMs, { slopeMBPerMin: thresholds.memorySlopeMBPerMin, growthShare: thresholds.memoryGrowthShare });
  if (!judged) {
    const n = inSteady(series.points, steadyStartMs, steadyEndMs).filter((p) => p.rssBytes !== null).length;
    const steadyS = ((steadyEndMs - steadyStartMs) / 1000).toFixed(0);
    return {
      id: 'server_memory', status: 'skipped', observed: '-', threshold,
      detail: `only ${n} memory sample(s) from ${origin} in the ${steadyS} s steady phase, ${MIN_MEMORY_POINTS} needed for a slope that is not noise${errors}`,
    };
  }
  const { trend, growth, figure } = judged;
  return {
    id: 'server_memory', status: growth.status,
    observed: observedText(judged),
    threshold,
    detail: `${growth.reason}; fitted ${trend.startMB.toFixed(1)} -> ${trend.endMB.toFixed(1)} MB over ${(trend.windowMs / 1000).toFixed(0)} s, ${trend.points} samples of ${FIGURE_NAME[figure]} from ${origin}${notes}${errors}`,
  };
}

export const serverMemory: Criterion = {
  id: 'server_memory',
  title: () => 'Memory stable (no growth)',
  clauses: [
    { stats: ['slope'], op: '<', unit: 'slope', target: 'memorySlopeMBPerMin' },
    { stats: ['growth'], op: '<', unit: 'share', target: 'memoryGrowthShare' },
    // memory kept per connection ever opened (memory-per-connection.ts)
    { stats: ['per_connection'], op: '<', unit: 'size', target: 'memoryPerConnectionBytes' },
  ],
  defaults: { memorySlopeMBPerMin: 1, memoryGrowthShare: 0.1, memoryPerConnectionBytes: 50 * 1024 },
  format: (t) => `slope < ${num(t.memorySlopeMBPerMin)}MB/min, growth < ${pctText(t.memoryGrowthShare)}, per_connection < ${num(t.memoryPerConnectionBytes / 1024)}KB`,
  judge: ({ resources, steadyStartMs, steadyEndMs, thresholds: t, opens }) =>
    (steadyStartMs !== undefined && steadyEndMs !== undefined
      ? judgeAcrossSources(resources ?? [], (series) =>
          withPerConnection(judgeServerMemory(series, steadyStartMs, steadyEndMs, t), judgeMemoryPerConnection(series, opens ?? [], steadyStartMs, steadyEndMs, t.memoryPerConnectionBytes)))
      : undefined) ??
    skipped('server_memory', `slope < ${t.memorySlopeMBPerMin} MB/min and growth < ${pct2(t.memoryGrowthShare)} and ${perConnectionThreshold(t.memoryPerConnectionBytes)}`, 'no server process or metrics URL sampled'),
};
