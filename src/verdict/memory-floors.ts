import type { Point } from '../metrics/slope.js';

/**
 * Memory judged through its collections, so that a heap still filling is not
 * read as a leak and a leak is not hidden by a GC saw-tooth. Pure functions
 * over a sample series (t in ms, v in bytes); no sockets, no timers.
 *
 * A garbage-collected server's memory is what it keeps plus garbage not yet
 * collected. The garbage part rises between collections and drops at each:
 * the saw-tooth. What it keeps is what is left right after a collection,
 * the *floor* of each tooth. A leak raises the floors; a heap filling up
 * raises only the teeth. So the trend that decides is a line through the
 * floors, not through every sample (a least-squares line through a window
 * that is still filling reads the filling as growth: 24 MB/min for a
 * simulator whose RSS then fell from 153 to 96 MB at its next major GC).
 *
 * A collection is a fall of at least COLLECTION_FALL_SHARE from the highest
 * sample since the last floor (over one sample or several); its floor is
 * the lowest sample before memory rises that share again. Worked example,
 * a sample every 5 s: 100, 104, 108, 101, 100, 104, 109, 100 MB holds two
 * collections (108 -> 101 -> 100 and 109 -> 100), floors at +20 s and +35 s.
 *
 * The floors' trend is a Theil-Sen line (median of the pairwise slopes): one
 * deep major collection among minor ones moves it by one pair's vote, not by
 * its depth. It is trusted from MIN_FLOORS floors spanning MIN_FLOOR_SPAN_MS.
 *
 * Without that many collections:
 * - memory that does not grow (the whole window's least-squares slope and
 *   growth under the bounds) passes: no collection is needed to show that;
 * - memory that grew but shows one or two collections is inconclusive: the
 *   floors are too few for a line;
 * - memory that never fell (a JVM keeps its heap committed, so its RSS
 *   rarely falls) passes when its last third is flat (a heap that filled up
 *   and levelled off), fails when it is still rising at no less than half
 *   its overall rate over at least NEVER_FALLING_MIN_SPAN_MS, and is
 *   inconclusive on a shorter window. A filling heap levels off, but a JVM's
 *   can take minutes: a real one (G1, bench/JvmTarget.java, no leak) read
 *   14-16 MB/min of RSS for over 2 min, its heap still expanding; 10 min
 *   is a third of a soak run.
 */

/** A fall of memory this large from its last peak is a collection that gave memory back. */
export const COLLECTION_FALL_SHARE = 0.005;
/**
 * Floors closer than this to the last one kept are one collection episode
 * (a G1 mixed cycle is several collections a few seconds apart, with young
 * collections promoting in between): the lowest stands for it. Measured on
 * a real G1 JVM: floors 14.9 MB at +73 s and 17.6 MB at +77 s, then 15.0 and
 * 17.5 MB at +117 and +121 s, read one by one, made a line rising 1.7 MB/min
 * with no leak.
 */
export const FLOOR_EPISODE_MS = 10_000;
/** Fewest floors a line goes through. */
export const MIN_FLOORS = 3;
/** Shortest time from the first floor to the last for their line to be trusted. */
export const MIN_FLOOR_SPAN_MS = 20_000;
/** Shortest window over which memory that never fell and is still rising is called a leak. */
export const NEVER_FALLING_MIN_SPAN_MS = 600_000;
/** The share of the window, at its end, that shows whether a growth levelled off. */
const TAIL_SHARE = 1 / 3;

const MB = 1024 * 1024;
const MS_PER_MIN = 60_000;

/** The floor of each collection episode, in time order. Pure. */
export function collectionFloors(samples: readonly Point[]): Point[] {
  const floors: Point[] = [];
  const push = (f: Point) => {
    const last = floors[floors.length - 1];
    if (last && f.t - last.t < FLOOR_EPISODE_MS) {
      if (f.v < last.v) floors[floors.length - 1] = f;
    } else floors.push(f);
  };
  let peak = samples[0]?.v ?? 0;
  let trough: Point | undefined; // set while memory is falling or at its floor after a collection
  for (const s of samples.slice(1)) {
    if (trough) {
      if (s.v < trough.v) trough = s;
      else if (s.v >= trough.v * (1 + COLLECTION_FALL_SHARE)) {
        push(trough);
        trough = undefined;
        peak = s.v;
      }
    } else if (s.v > peak) peak = s.v;
    else if (peak > 0 && s.v <= peak * (1 - COLLECTION_FALL_SHARE)) trough = s;
  }
  if (trough) push(trough);
  return floors;
}

/** Theil-Sen line: the median of pairwise slopes, and the median intercept at `t0`. Pure. */
export function theilSen(points: readonly Point[], t0 = points[0]?.t ?? 0): { slope: number; at0: number } {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (points[j].t !== points[i].t) slopes.push((points[j].v - points[i].v) / (points[j].t - points[i].t));
    }
  }
  const slope = median(slopes);
  const at0 = median(points.map((p) => p.v - slope * (p.t - t0)));
  return { slope, at0 };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Least-squares slope of samples, bytes per ms (t centred on the first sample). */
function lsqSlope(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const t0 = points[0].t;
  const mt = points.reduce((a, p) => a + (p.t - t0), 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  let stt = 0;
  let stv = 0;
  for (const p of points) {
    stt += (p.t - t0 - mt) ** 2;
    stv += (p.t - t0 - mt) * (p.v - mv);
  }
  return stt === 0 ? 0 : stv / stt;
}

export interface MemoryBounds {
  slopeMBPerMin: number;
  growthShare: number;
}

/** How the judgement read the window. */
export type MemoryBasis = 'floors' | 'window' | 'levelled' | 'rising' | 'too-few-floors' | 'too-short';

export interface MemoryGrowth {
  status: 'pass' | 'fail' | 'skipped';
  basis: MemoryBasis;
  /** The slope judged (floors, window or tail, per `basis`), MB/min. */
  slopeMBPerMin: number;
  /** Growth over the window at that slope, as a share of the level at the window's start. */
  growthShare: number;
  collections: number;
  floors: Point[];
  windowMs: number;
  /** One sentence: what was read and why it decides (or cannot). */
  reason: string;
}

const mbMin = (bytesPerMs: number) => (bytesPerMs * MS_PER_MIN) / MB;
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const s0 = (ms: number) => (ms / 1000).toFixed(0);

/**
 * The judgement of one memory series over the steady window. `window` is the
 * whole window's least-squares reading (memory-trend.ts), so the two agree
 * where no collection is needed. Pure.
 */
export function judgeMemoryGrowth(
  samples: readonly Point[],
  window: { slopeMBPerMin: number; growthShare: number },
  bounds: MemoryBounds,
  what = 'memory',
): MemoryGrowth {
  const t0 = samples[0]?.t ?? 0;
  const windowMs = (samples[samples.length - 1]?.t ?? t0) - t0;
  const floors = collectionFloors(samples);
  const within = (slope: number, growth: number) => slope < bounds.slopeMBPerMin && growth < bounds.growthShare;
  const base = { collections: floors.length, floors, windowMs };
  const floorSpan = floors.length > 0 ? floors[floors.length - 1].t - floors[0].t : 0;

  if (floors.length >= MIN_FLOORS && floorSpan >= MIN_FLOOR_SPAN_MS) {
    const line = theilSen(floors, t0);
    const slope = mbMin(line.slope);
    const growth = line.at0 > 0 ? (line.slope * windowMs) / line.at0 : 0;
    const pass = within(slope, growth);
    return {
      ...base, status: pass ? 'pass' : 'fail', basis: 'floors', slopeMBPerMin: slope, growthShare: growth,
      reason: `the floors after ${floors.length} collections ${slope >= 0 ? 'rose' : 'fell'} ${f2(Math.abs(slope))} MB/min over ${s0(floorSpan)} s (${f1(floors[0].v / MB)} -> ${f1(floors[floors.length - 1].v / MB)} MB)${pass ? '' : ': memory kept through every collection grows'}`,
    };
  }
  if (within(window.slopeMBPerMin, window.growthShare)) {
    return {
      ...base, status: 'pass', basis: 'window', slopeMBPerMin: window.slopeMBPerMin, growthShare: window.growthShare,
      reason: `${what} did not grow over the window (${floors.length} collection(s) seen; none needed to show that)`,
    };
  }
  if (floors.length > 0) {
    return {
      ...base, status: 'skipped', basis: 'too-few-floors', slopeMBPerMin: window.slopeMBPerMin, growthShare: window.growthShare,
      reason: `${what} rose ${f2(window.slopeMBPerMin)} MB/min over the ${s0(windowMs)} s window, but only ${floors.length} collection(s) showed a floor (${floors.map((f) => `${f1(f.v / MB)} MB at +${s0(f.t - t0)} s`).join(', ')}): a line through the floors needs ${MIN_FLOORS} over ${s0(MIN_FLOOR_SPAN_MS)} s, so a heap still filling and a leak cannot be told apart; a longer steady phase can`,
    };
  }
  const tail = samples.filter((p) => p.t >= t0 + windowMs * (1 - TAIL_SHARE));
  const tailSlope = mbMin(lsqSlope(tail));
  const start = samples[0].v;
  const tailGrowth = start > 0 ? (tailSlope * MB * (windowMs / MS_PER_MIN)) / start : 0;
  if (tail.length >= 5 && within(tailSlope, tailGrowth)) {
    return {
      ...base, status: 'pass', basis: 'levelled', slopeMBPerMin: tailSlope, growthShare: tailGrowth,
      reason: `${what} never fell but levelled off: ${f2(window.slopeMBPerMin)} MB/min over the window, ${f2(tailSlope)} MB/min over its last ${s0(windowMs * TAIL_SHARE)} s (a heap that filled its committed size)`,
    };
  }
  if (windowMs >= NEVER_FALLING_MIN_SPAN_MS && tailSlope >= window.slopeMBPerMin / 2) {
    return {
      ...base, status: 'fail', basis: 'rising', slopeMBPerMin: tailSlope, growthShare: tailGrowth,
      reason: `${what} rose ${f2(window.slopeMBPerMin)} MB/min for ${s0(windowMs)} s without a collection giving any back, and still ${f2(tailSlope)} MB/min over its last ${s0(windowMs * TAIL_SHARE)} s: a filling heap levels off, this did not`,
    };
  }
  return {
    ...base, status: 'skipped', basis: 'too-short', slopeMBPerMin: window.slopeMBPerMin, growthShare: window.growthShare,
    reason: windowMs >= NEVER_FALLING_MIN_SPAN_MS
      ? `${what} rose ${f2(window.slopeMBPerMin)} MB/min over ${s0(windowMs)} s and never fell, but is slowing (${f2(tailSlope)} MB/min over its last ${s0(windowMs * TAIL_SHARE)} s): a heap still filling and a leak cannot be told apart yet; a longer steady phase can`
      : `${what} rose ${f2(window.slopeMBPerMin)} MB/min over the ${s0(windowMs)} s window and never fell (no collection gave memory back, as with a JVM, which keeps its heap committed): a heap still filling and a leak read the same until a collection or a plateau shows; ${s0(NEVER_FALLING_MIN_SPAN_MS)} s of steady phase are needed to call a growth that never falls a leak`,
  };
}
