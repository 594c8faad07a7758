import type { ResourceSeries } from '../../metrics/resource-series.js';
import type { CriterionResult } from '../criteria.js';
import { inSteady, memoryCaveat, memoryTrend, MIN_MEMORY_POINTS } from '../memory-trend.js';
import { judgeMemoryPerConnection, perConnectionThreshold, withPerConnection } from './memory-per-connection.js';
import { num, pct as pct2, pctText, skipped } from './format.js';
import { resourceOrigin } from './server-cpu.js';
import { judgeAcrossSources } from './sources.js';
import type { Criterion, Thresholds } from './types.js';

/**
 * `server_memory` from a sampled series, over the steady phase only: a
 * least-squares line through the steady samples (memory-trend.ts). It fails
 * when the slope reaches the bound (1 MB/min; MB = 2^20 bytes) or when the
 * fitted growth over the phase reaches the growth bound (10 %) of the fitted
 * start: a 60 s phase that fits 40.0 -> 41.5 MB has slope 1.5 MB/min (fail)
 * and growth 3.75 % (pass). The fitted ends, not the first and last samples,
 * so a GC that lands on either end does not decide. Fewer than
 * MIN_MEMORY_POINTS samples skip: a slope over a few seconds is noise.
 *
 * Sensitivity, measured with bench/memory-slope.js (a Node simulator with
 * 10 clients leaking on purpose, 60 s phase after a 10 s warm-up, RSS from
 * /proc): the fitted slope scatters by about ±1 MB/min from run to run, as
 * V8 grows and shrinks its heap in steps. No false alarm at 0 in 10 runs;
 * 1 MB/min flagged 2 of 4, 2 MB/min 8 of 10, 2.5 MB/min 6 of 6, 3 MB/min
 * 10 of 10. So a 60 s run reliably flags leaks of about 3 MB/min and up;
 * smaller ones need longer runs (the scatter shrinks with the window).
 */
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export function judgeServerMemory(series: ResourceSeries, steadyStartMs: number, steadyEndMs: number, thresholds: Thresholds): CriterionResult {
  const threshold = `slope < ${thresholds.memorySlopeMBPerMin} MB/min and growth < ${pct(thresholds.memoryGrowthShare)}`;
  const { origin, errors, notes } = resourceOrigin(series);
  const trend = memoryTrend(series.points, steadyStartMs, steadyEndMs);
  if (!trend) {
    const n = inSteady(series.points, steadyStartMs, steadyEndMs).filter((p) => p.rssBytes !== null).length;
    const steadyS = ((steadyEndMs - steadyStartMs) / 1000).toFixed(0);
    return {
      id: 'server_memory', status: 'skipped', observed: '-', threshold,
      detail: `only ${n} memory sample(s) from ${origin} in the ${steadyS} s steady phase, ${MIN_MEMORY_POINTS} needed for a slope that is not noise${errors}`,
    };
  }
  const pass = trend.slopeMBPerMin < thresholds.memorySlopeMBPerMin && trend.growthShare < thresholds.memoryGrowthShare;
  return {
    id: 'server_memory', status: pass ? 'pass' : 'fail',
    observed: `slope ${trend.slopeMBPerMin.toFixed(2)} ± ${trend.slopeStdErrMBPerMin.toFixed(2)} MB/min, growth ${pct(trend.growthShare)}`,
    threshold,
    detail: `${pass ? '' : memoryCaveat(trend)}fitted ${trend.startMB.toFixed(1)} -> ${trend.endMB.toFixed(1)} MB over ${(trend.windowMs / 1000).toFixed(0)} s, ${trend.points} samples from ${origin}${notes}${errors}`,
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
