import type { ResourceSeries } from '../../metrics/resource-series.js';
import type { CriterionResult } from '../criteria.js';
import { inSteady } from '../memory-trend.js';
import { pct as pct2, pctText, skipped } from './format.js';
import { judgeAcrossSources } from './sources.js';
import type { Criterion, Thresholds } from './types.js';

/**
 * `server_cpu` from a sampled series, over the steady phase only (the ramp's
 * connects are work the steady stream does not do): the mean of the
 * per-interval shares of one core; at least MIN_CPU_POINTS intervals.
 */
export const MIN_CPU_POINTS = 3;

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export function resourceOrigin(series: ResourceSeries): { origin: string; errors: string; notes: string } {
  return {
    origin: `${series.source === 'pid' ? '' : 'metrics '}${series.origin}`,
    errors: series.errorCount > 0 ? `; ${series.errorCount} failed read(s), last: ${series.errors[series.errors.length - 1]?.message ?? ''}` : '',
    notes: series.notes.length ? `; ${series.notes.join('; ')}` : '',
  };
}

export function judgeServerCpu(series: ResourceSeries, steadyStartMs: number, steadyEndMs: number, thresholds: Thresholds): CriterionResult {
  const threshold = `mean < ${pct(thresholds.serverCpuShare)} of one core`;
  const { origin, errors, notes } = resourceOrigin(series);
  const steadyS = ((steadyEndMs - steadyStartMs) / 1000).toFixed(0);
  const shares = inSteady(series.points, steadyStartMs, steadyEndMs).map((p) => p.cpuShare).filter((v): v is number => v !== null);
  if (shares.length < MIN_CPU_POINTS) {
    return {
      id: 'server_cpu', status: 'skipped', observed: '-', threshold,
      detail: `only ${shares.length} CPU sample(s) from ${origin} in the ${steadyS} s steady phase, ${MIN_CPU_POINTS} needed${errors}`,
    };
  }
  const mean = shares.reduce((a, v) => a + v, 0) / shares.length;
  const max = Math.max(...shares);
  return {
    id: 'server_cpu', status: mean < thresholds.serverCpuShare ? 'pass' : 'fail',
    observed: `mean ${pct(mean)}, max ${pct(max)} of one core`, threshold,
    detail: `${shares.length} samples from ${origin}${notes}${errors}`,
  };
}

export const serverCpu: Criterion = {
  id: 'server_cpu',
  title: () => 'CPU < 10 % during updates',
  clauses: [{ stats: ['', 'mean'], op: '<', unit: 'share', target: 'serverCpuShare' }],
  defaults: { serverCpuShare: 0.1 },
  format: (t) => `mean < ${pctText(t.serverCpuShare)}`,
  judge: ({ resources, steadyStartMs, steadyEndMs, thresholds: t }) =>
    (steadyStartMs !== undefined && steadyEndMs !== undefined
      ? judgeAcrossSources(resources ?? [], (series) => judgeServerCpu(series, steadyStartMs, steadyEndMs, t))
      : undefined) ??
    skipped('server_cpu', `mean < ${pct2(t.serverCpuShare)} of one core`, 'no server process or metrics URL sampled'),
};
