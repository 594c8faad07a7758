import type { ResourcePoint, ResourceSeries } from '../engine/resource-sampler.js';
import { fittedAt, linearFit } from '../metrics/slope.js';
import type { CriterionResult } from './criteria.js';
import type { Thresholds } from './thresholds.js';

/**
 * `server_cpu` and `server_memory` from a sampled series, over the steady
 * phase only (the ramp's connects are work the steady stream does not do).
 *
 * CPU: the mean of the per-interval shares of one core; at least
 * MIN_CPU_POINTS intervals.
 *
 * Memory: a least-squares line through the steady samples (see slope.ts for
 * why it is robust to a GC saw-tooth at 30+ samples). It fails when the
 * slope reaches the bound (1 MB/min; MB = 2^20 bytes) or when the fitted
 * growth over the phase reaches the growth bound (10 %) of the fitted start:
 * a 60 s phase that fits 40.0 -> 41.5 MB has slope 1.5 MB/min (fail) and
 * growth 3.75 % (pass). The fitted ends, not the first and last samples,
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

export const MIN_CPU_POINTS = 3;
export const MIN_MEMORY_POINTS = 20;
const MB = 1024 * 1024;
const MS_PER_MIN = 60_000;

export interface ResourceJudgement {
  server_cpu: CriterionResult;
  server_memory: CriterionResult;
}

/** The memory figures judged, for reports and the benchmark. */
export interface MemoryTrend {
  points: number;
  slopeMBPerMin: number;
  slopeStdErrMBPerMin: number;
  /** Fitted growth over the window relative to the fitted start. */
  growthShare: number;
  startMB: number;
  endMB: number;
  windowMs: number;
  /** Largest fall between two samples in a row, as a share of the first (0 when RSS never fell). */
  largestFallShare: number;
}

/** The window the judgement's sensitivity was measured on (see above). */
export const CALIBRATED_MEMORY_WINDOW_MS = 60_000;
/** A fall of RSS this large between two samples is a collection that returned memory. */
const GC_FALL_SHARE = 0.02;

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

function inSteady(points: readonly ResourcePoint[], startMs: number, endMs: number): ResourcePoint[] {
  return points.filter((p) => p.t >= startMs && p.t <= endMs);
}

/** Slope and growth of memory samples in a window; undefined with too few samples. Pure. */
export function memoryTrend(points: readonly ResourcePoint[], startMs: number, endMs: number): MemoryTrend | undefined {
  const mem = inSteady(points, startMs, endMs).filter((p) => p.rssBytes !== null).map((p) => ({ t: p.t, v: p.rssBytes! }));
  if (mem.length < MIN_MEMORY_POINTS) return undefined;
  const fit = linearFit(mem);
  const t0 = mem[0].t;
  const t1 = mem[mem.length - 1].t;
  const start = fittedAt(fit, t0);
  const end = fittedAt(fit, t1);
  let largestFallShare = 0;
  for (let i = 1; i < mem.length; i++) {
    if (mem[i - 1].v > 0) largestFallShare = Math.max(largestFallShare, (mem[i - 1].v - mem[i].v) / mem[i - 1].v);
  }
  return {
    points: mem.length,
    slopeMBPerMin: (fit.slope * MS_PER_MIN) / MB,
    slopeStdErrMBPerMin: (fit.slopeStdErr * MS_PER_MIN) / MB,
    growthShare: start > 0 ? (end - start) / start : 0,
    startMB: start / MB,
    endMB: end / MB,
    windowMs: t1 - t0,
    largestFallShare,
  };
}

/**
 * Why a failing trend may be a heap still filling rather than a leak, for
 * the reader; the verdict stays as criteria.md defines it. A window shorter
 * than the calibrated one, or one in which RSS never fell (no collection
 * gave memory back), cannot tell the two apart: at 16,000 clients a 60 s
 * phase read 24 MB/min while the simulator's workers fell from 153 to 96 MB
 * at their next major GC. Pure; '' when there is nothing to say.
 */
export function memoryCaveat(trend: MemoryTrend): string {
  const why: string[] = [];
  if (trend.windowMs < CALIBRATED_MEMORY_WINDOW_MS) why.push(`the ${(trend.windowMs / 1000).toFixed(0)} s window is shorter than the ${CALIBRATED_MEMORY_WINDOW_MS / 1000} s this judgement is calibrated on`);
  if (trend.largestFallShare < GC_FALL_SHARE) why.push('RSS never fell in it (no collection gave memory back)');
  return why.length > 0 ? `${why.join(', and ')}: a heap still filling reads as growth until a longer steady phase shows a collection; ` : '';
}

export function judgeResources(series: ResourceSeries, steadyStartMs: number, steadyEndMs: number, thresholds: Thresholds): ResourceJudgement {
  const cpuThreshold = `mean < ${pct(thresholds.serverCpuShare)} of one core`;
  const memThreshold = `slope < ${thresholds.memorySlopeMBPerMin} MB/min and growth < ${pct(thresholds.memoryGrowthShare)}`;
  const origin = `${series.source === 'pid' ? '' : 'metrics '}${series.origin}`;
  const errors = series.errorCount > 0 ? `; ${series.errorCount} failed read(s), last: ${series.errors[series.errors.length - 1]?.message ?? ''}` : '';
  const notes = series.notes.length ? `; ${series.notes.join('; ')}` : '';
  const steadyS = ((steadyEndMs - steadyStartMs) / 1000).toFixed(0);

  const steady = inSteady(series.points, steadyStartMs, steadyEndMs);
  const shares = steady.map((p) => p.cpuShare).filter((v): v is number => v !== null);
  let server_cpu: CriterionResult;
  if (shares.length < MIN_CPU_POINTS) {
    server_cpu = {
      id: 'server_cpu', status: 'skipped', observed: '-', threshold: cpuThreshold,
      detail: `only ${shares.length} CPU sample(s) from ${origin} in the ${steadyS} s steady phase, ${MIN_CPU_POINTS} needed${errors}`,
    };
  } else {
    const mean = shares.reduce((a, v) => a + v, 0) / shares.length;
    const max = Math.max(...shares);
    server_cpu = {
      id: 'server_cpu', status: mean < thresholds.serverCpuShare ? 'pass' : 'fail',
      observed: `mean ${pct(mean)}, max ${pct(max)} of one core`, threshold: cpuThreshold,
      detail: `${shares.length} samples from ${origin}${notes}${errors}`,
    };
  }

  const trend = memoryTrend(series.points, steadyStartMs, steadyEndMs);
  let server_memory: CriterionResult;
  if (!trend) {
    const n = steady.filter((p) => p.rssBytes !== null).length;
    server_memory = {
      id: 'server_memory', status: 'skipped', observed: '-', threshold: memThreshold,
      detail: `only ${n} memory sample(s) from ${origin} in the ${steadyS} s steady phase, ${MIN_MEMORY_POINTS} needed for a slope that is not noise${errors}`,
    };
  } else {
    const pass = trend.slopeMBPerMin < thresholds.memorySlopeMBPerMin && trend.growthShare < thresholds.memoryGrowthShare;
    server_memory = {
      id: 'server_memory', status: pass ? 'pass' : 'fail',
      observed: `slope ${trend.slopeMBPerMin.toFixed(2)} ± ${trend.slopeStdErrMBPerMin.toFixed(2)} MB/min, growth ${pct(trend.growthShare)}`,
      threshold: memThreshold,
      detail: `${pass ? '' : memoryCaveat(trend)}fitted ${trend.startMB.toFixed(1)} -> ${trend.endMB.toFixed(1)} MB over ${(trend.windowMs / 1000).toFixed(0)} s, ${trend.points} samples from ${origin}${notes}${errors}`,
    };
  }
  return { server_cpu, server_memory };
}
