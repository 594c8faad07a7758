/**
 * Least-squares straight line through (t, v) points: the memory judgement's
 * estimator. Times are centred on their mean before summing, because epoch
 * milliseconds squared (~3e24) would swallow the variation in a double.
 *
 * Why least squares and not last-minus-first: a GC saw-tooth of amplitude A
 * moves last-minus-first by up to A, whatever the window. A fit over n whole
 * teeth in a window T is off by about A / (n·T) (the staircase under the
 * teeth leaves a residual slope that shrinks with each tooth), and partial
 * teeth at the ends by about A / T. Worked example: 4 MB teeth every 7 s
 * over 60 s (8.5 teeth) fit within 0.3 MB/min of flat, where
 * last-minus-first reads up to 4 MB/min. What a fit cannot undo is a step:
 * a process whose RSS drops once mid-window (V8 shrinking its heap) reads
 * as a falling slope; bench/memory-slope.js measures how much that scatters
 * the estimate in practice. Residuals of such series are correlated, so
 * `slopeStdErr` (which assumes independent noise) understates the scatter.
 */

export interface Point {
  /** Time, e.g. epoch ms. */
  t: number;
  v: number;
}

export interface LinearFit {
  /** Units of v per unit of t (bytes per ms for memory samples). */
  slope: number;
  /** Fitted v at t = 0 of the centred axis, i.e. at `meanT`. */
  meanV: number;
  meanT: number;
  /** Standard error of the slope (0 with fewer than 3 points). */
  slopeStdErr: number;
  n: number;
}

/** The fit; slope 0 with fewer than two distinct times. Pure. */
export function linearFit(points: readonly Point[]): LinearFit {
  const n = points.length;
  if (n === 0) return { slope: 0, meanV: 0, meanT: 0, slopeStdErr: 0, n };
  let sumT = 0;
  let sumV = 0;
  for (const p of points) {
    sumT += p.t;
    sumV += p.v;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let stt = 0;
  let stv = 0;
  for (const p of points) {
    const dt = p.t - meanT;
    stt += dt * dt;
    stv += dt * (p.v - meanV);
  }
  if (stt === 0) return { slope: 0, meanV, meanT, slopeStdErr: 0, n };
  const slope = stv / stt;
  let sse = 0;
  for (const p of points) {
    const r = p.v - (meanV + slope * (p.t - meanT));
    sse += r * r;
  }
  const slopeStdErr = n > 2 ? Math.sqrt(sse / (n - 2) / stt) : 0;
  return { slope, meanV, meanT, slopeStdErr, n };
}

/** Fitted value of a line at time t. */
export function fittedAt(fit: LinearFit, t: number): number {
  return fit.meanV + fit.slope * (t - fit.meanT);
}

/** Slope of the least-squares line, in units of v per unit of t. Pure. */
export function leastSquaresSlope(points: readonly Point[]): number {
  return linearFit(points).slope;
}
