import type { ResourcePoint } from '../metrics/resource-series.js';
import { fittedAt, linearFit, type Point } from '../metrics/slope.js';
import { judgeMemoryGrowth, MIN_FLOOR_SPAN_MS, MIN_FLOORS, theilSen, type MemoryBounds, type MemoryGrowth } from './memory-floors.js';

/**
 * The memory figures `server_memory` judges: the whole window's
 * least-squares line (slope.ts; what the report shows, and what decides a
 * window that does not grow) and the judgement through the target's
 * collections (memory-floors.ts), on the best figure the source has. Pure.
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

/** Which figure of a point is judged. */
export type MemoryFigure = 'rss' | 'heap' | 'heap-live';
const FIGURE_READ: Record<MemoryFigure, (p: ResourcePoint) => number | null | undefined> = {
  rss: (p) => p.rssBytes,
  heap: (p) => p.heapBytes,
  'heap-live': (p) => p.heapLiveBytes,
};
/** How a figure is named in the detail. */
export const FIGURE_NAME: Record<MemoryFigure, string> = { rss: 'RSS', heap: 'the JVM old generation', 'heap-live': 'the JVM heap after major collections' };

/** The samples of one figure in the window. Pure. */
export function memorySamples(points: readonly ResourcePoint[], startMs: number, endMs: number, figure: MemoryFigure = 'rss'): Point[] {
  const read = FIGURE_READ[figure];
  const out: Point[] = [];
  for (const p of inSteady(points, startMs, endMs)) {
    const v = read(p);
    if (v !== null && v !== undefined) out.push({ t: p.t, v });
  }
  return out;
}

/** Slope and growth of memory samples in a window; undefined with too few samples. Pure. */
export function memoryTrend(points: readonly ResourcePoint[], startMs: number, endMs: number, figure: MemoryFigure = 'rss'): MemoryTrend | undefined {
  const mem = memorySamples(points, startMs, endMs, figure);
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

/** What `server_memory` judged: the figure, its whole-window trend, and the judgement through its collections. */
export interface MemoryJudgement {
  figure: MemoryFigure;
  trend: MemoryTrend;
  growth: MemoryGrowth;
}

/**
 * The memory judgement of a window (memory-floors.ts has the method), on
 * the best figure the source has: a JVM's heap after major collections when
 * it changed at least MIN_FLOORS times over MIN_FLOOR_SPAN_MS (each value is
 * a floor), else its long-lived heap pools in use (floors after mixed and full
 * collections), else RSS.
 * A JVM's RSS rarely falls, so its heap shows collections RSS cannot.
 * Undefined when no figure has MIN_MEMORY_POINTS samples. Pure.
 */
export function judgeMemory(points: readonly ResourcePoint[], startMs: number, endMs: number, bounds: MemoryBounds): MemoryJudgement | undefined {
  const live = memorySamples(points, startMs, endMs, 'heap-live');
  const liveTrend = memoryTrend(points, startMs, endMs, 'heap-live');
  const changes = live.filter((p, i) => i === 0 || p.v !== live[i - 1].v);
  if (liveTrend && changes.length >= MIN_FLOORS && changes[changes.length - 1].t - changes[0].t >= MIN_FLOOR_SPAN_MS) {
    const line = theilSen(changes, live[0].t);
    const slope = (line.slope * MS_PER_MIN) / MB;
    const growth = line.at0 > 0 ? (line.slope * liveTrend.windowMs) / line.at0 : 0;
    const pass = slope < bounds.slopeMBPerMin && growth < bounds.growthShare;
    const span = ((changes[changes.length - 1].t - changes[0].t) / 1000).toFixed(0);
    return {
      figure: 'heap-live', trend: liveTrend,
      growth: {
        status: pass ? 'pass' : 'fail', basis: 'floors', slopeMBPerMin: slope, growthShare: growth, collections: changes.length - 1, floors: changes, windowMs: liveTrend.windowMs,
        reason: `the heap after ${changes.length} major collections ${slope >= 0 ? 'rose' : 'fell'} ${Math.abs(slope).toFixed(2)} MB/min over ${span} s (${(changes[0].v / MB).toFixed(1)} -> ${(changes[changes.length - 1].v / MB).toFixed(1)} MB)${pass ? '' : ': memory kept through every collection grows'}`,
      },
    };
  }
  for (const figure of ['heap', 'rss'] as const) {
    const trend = memoryTrend(points, startMs, endMs, figure);
    if (trend) return { figure, trend, growth: judgeMemoryGrowth(memorySamples(points, startMs, endMs, figure), trend, bounds, FIGURE_NAME[figure]) };
  }
  return undefined;
}
