import { parseQuantity } from '../scenario/quantity.js';
import { BASELINE_METRIC_IDS, metricDef, type BaselineMetricId, type MetricUnit, type Tolerance } from './metrics.js';

/**
 * Tolerances as people write them (scenario `baseline.tolerances:` or
 * `compare --tolerance latency_p99=20%`):
 *   "10%"        may get 10 % worse than the baseline
 *   "5ms"        may get 5 ms worse (a metric's own unit: ms, B/s, a count)
 *   "10%, 5ms"   whichever allows more
 *   0            may not get worse at all
 * For `uptime`, a share already, `0.5%` is half a percentage point.
 */
export type Tolerances = Partial<Record<BaselineMetricId, Tolerance>>;

function absolute(text: string, unit: MetricUnit): number | undefined {
  switch (unit) {
    case 'ms':
      return parseQuantity(text, 'time');
    case 'B/s':
      return parseQuantity(text, 'rate');
    case 'share':
      return parseQuantity(text, 'share');
    case 'count':
      return parseQuantity(text, 'count');
  }
}

const UNIT_HINT: Record<MetricUnit, string> = { ms: '5ms', 'B/s': '16B/s', count: '2', share: '0.5%' };

/** Parses one tolerance; returns it or a problem sentence. Pure. */
export function parseTolerance(metric: string, value: string | number): Tolerance | string {
  if (!(BASELINE_METRIC_IDS as readonly string[]).includes(metric)) {
    return `"${metric}" is not a baseline metric (known: ${BASELINE_METRIC_IDS.join(', ')})`;
  }
  const d = metricDef(metric as BaselineMetricId);
  const text = String(value).trim();
  const t: Tolerance = { relative: 0, absolute: 0 };
  if (text === '0') return t;
  for (const part of text.split(/\s*,\s*|\s+or\s+/)) {
    const clean = part.replace(/^\+/, '');
    if (d.unit !== 'share' && /^\d+(\.\d+)?\s*%$/.test(clean)) {
      t.relative = Math.max(t.relative, Number(clean.replace('%', '')) / 100);
      continue;
    }
    const a = absolute(clean, d.unit);
    if (a === undefined) {
      const forms = d.unit === 'share' ? `"${UNIT_HINT.share}" (percentage points)` : `"10%", "${UNIT_HINT[d.unit]}" or "10%, ${UNIT_HINT[d.unit]}"`;
      return `${metric}: cannot read tolerance "${part}"; write ${forms}, or 0`;
    }
    t.absolute = Math.max(t.absolute, a);
  }
  return t;
}

/** Parses `metric=tolerance` (the `--tolerance` flag form). */
export function parseToleranceFlag(text: string): { metric: BaselineMetricId; tolerance: Tolerance } | string {
  const i = text.indexOf('=');
  if (i <= 0) return `--tolerance must look like metric=tolerance, e.g. latency_p99=20% (got ${JSON.stringify(text)})`;
  const metric = text.slice(0, i).trim();
  const t = parseTolerance(metric, text.slice(i + 1));
  return typeof t === 'string' ? t : { metric: metric as BaselineMetricId, tolerance: t };
}

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
