import type { MetricUnit, Tolerance } from '../scenario/tolerances.js';

/** Tolerances are read with the scenario (scenario/tolerances.ts); here they are described for reports. */
export { parseTolerance, parseToleranceFlag, type Tolerance, type Tolerances } from '../scenario/tolerances.js';

const fmt = (v: number) => String(Number(v.toFixed(3)));

/** "+10 %, at least 5 ms", "none", ... for reports. */
export function describeTolerance(t: Tolerance, unit: MetricUnit, better: 'lower' | 'higher'): string {
  const word = better === 'lower' ? 'up' : 'down';
  const parts: string[] = [];
  if (t.relative > 0) parts.push(`${fmt(t.relative * 100)} %`);
  if (t.absolute > 0) {
    const abs = unit === 'share' ? `${fmt(t.absolute * 100)} points` : unit === 'count' ? fmt(t.absolute) : `${fmt(t.absolute)} ${unit}`;
    parts.push(t.relative > 0 ? `at least ${abs}` : abs);
  }
  return parts.length === 0 ? `may not go ${word}` : `${word} ${parts.join(', ')}`;
}
