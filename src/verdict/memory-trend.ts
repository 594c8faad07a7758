import type { ResourcePoint } from '../metrics/resource-series.js';
import { fittedAt, linearFit } from '../metrics/slope.js';

/**
 * The memory figures `server_memory` judges: a least-squares line through
 * the steady samples (see slope.ts for why it is robust to a GC saw-tooth at
 * 30+ samples), its slope and the fitted growth over the window. Pure.
 */
export const MIN_MEMORY_POINTS = 20;
const MB = 1024 * 1024;
const MS_PER_MIN = 60_000;

export function inSteady(points: readonly ResourcePoint[], startMs: number, endMs: number): ResourcePoint[] {
  return points.filter((p) => p.t >= startMs && p.t <= endMs);
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

/** The window the judgement's sensitivity was measured on (see criteria/server-memory.ts). */
export const CALIBRATED_MEMORY_WINDOW_MS = 60_000;
/** A fall of RSS this large between two samples is a collection that returned memory. */
const GC_FALL_SHARE = 0.02;

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

