import { describe, expect, it } from 'vitest';
import { fittedAt, leastSquaresSlope, linearFit } from '../../src/metrics/slope.js';

const T0 = 1_730_000_000_000; // epoch ms: the fit must not lose precision here

describe('leastSquaresSlope', () => {
  it('is exact on a straight line, even at epoch-ms times', () => {
    const pts = Array.from({ length: 30 }, (_, i) => ({ t: T0 + i * 1000, v: 50e6 + 17.5 * i * 1000 }));
    expect(leastSquaresSlope(pts)).toBeCloseTo(17.5, 9);
    const fit = linearFit(pts);
    expect(fit.slopeStdErr).toBeCloseTo(0, 6);
    expect(fittedAt(fit, T0)).toBeCloseTo(50e6, 3);
  });

  it('is exact on uneven spacing and a falling line', () => {
    const ts = [0, 130, 990, 2400, 2500, 7000];
    expect(leastSquaresSlope(ts.map((t) => ({ t: T0 + t, v: 1000 - 0.25 * t })))).toBeCloseTo(-0.25, 12);
  });

  it('is 0 with no points, one point, or one repeated time', () => {
    expect(leastSquaresSlope([])).toBe(0);
    expect(leastSquaresSlope([{ t: T0, v: 5 }])).toBe(0);
    expect(leastSquaresSlope([{ t: T0, v: 5 }, { t: T0, v: 9 }])).toBe(0);
  });

  it('is robust to a GC saw-tooth over 60 samples: flat stays near flat, a leak is found', () => {
    // 4 MB teeth every 7 s on top of 50 MB, sampled each second for 60 s.
    const MB = 1024 * 1024;
    const tooth = (i: number) => ((i % 7) / 7) * 4 * MB;
    const flat = Array.from({ length: 60 }, (_, i) => ({ t: T0 + i * 1000, v: 50 * MB + tooth(i) }));
    const flatMBPerMin = (leastSquaresSlope(flat) * 60_000) / MB;
    // last-minus-first would read (tooth(59) - tooth(0)) = 1.7 MB/min here
    expect(Math.abs(flatMBPerMin)).toBeLessThan(0.3);
    const leak = flat.map((p, i) => ({ t: p.t, v: p.v + (i / 60) * 2 * MB })); // 2 MB/min
    expect((leastSquaresSlope(leak) * 60_000) / MB).toBeCloseTo(2, 0);
  });
});
