import { parseQuantity } from './thresholds-text.js';

/**
 * Baseline tolerances as people write them (scenario `baseline.tolerances:`
 * or `compare --tolerance latency_p99=20%`), parsed here with the rest of
 * the scenario; the comparison itself is a later stage (src/baseline/).
 *   "10%"        may get 10 % worse than the baseline
 *   "5ms"        may get 5 ms worse (a metric's own unit: ms, B/s, a count)
 *   "10%, 5ms"   whichever allows more
 *   0            may not get worse at all
 * For `uptime`, a share already, `0.5%` is half a percentage point.
 */

export type MetricUnit = 'ms' | 'B/s' | 'count' | 'share';

/**
 * The key metrics a baseline keeps and their units, in report order. Ids
 * are API (scenario `baseline.tolerances`, `compare --tolerance`,
 * report.baseline): never rename one.
 */
export const BASELINE_METRIC_UNITS = {
  latency_p50: 'ms',
  latency_p99: 'ms',
  connect_p99: 'ms',
  welcome_p99: 'ms',
  bandwidth_mean: 'B/s',
  bandwidth_p99: 'B/s',
  lost_messages: 'count',
  duplicates: 'count',
  unintended_disconnects: 'count',
  violations: 'count',
  cadence_off: 'count',
  uptime: 'share',
  reconnect_p99: 'ms',
  clients_held: 'count',
} as const satisfies Record<string, MetricUnit>;

export type BaselineMetricId = keyof typeof BASELINE_METRIC_UNITS;
export const BASELINE_METRIC_IDS = Object.keys(BASELINE_METRIC_UNITS) as readonly BaselineMetricId[];

/**
 * How far a metric may get worse before it is a regression: the larger of
 * `relative` x baseline and `absolute` (in the metric's unit).
 *   latency p99 10 %, at least 5 ms: baseline 2 ms -> up to 7 ms is fine;
 *   baseline 300 ms -> up to 330 ms.
 * The absolute floor keeps sub-millisecond jitter on a fast target from
 * counting as a regression; 0 and 0 means "may not get worse at all".
 */
export interface Tolerance {
  relative: number;
  absolute: number;
}

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
  const unit: MetricUnit = BASELINE_METRIC_UNITS[metric as BaselineMetricId];
  const text = String(value).trim();
  const t: Tolerance = { relative: 0, absolute: 0 };
  if (text === '0') return t;
  for (const part of text.split(/\s*,\s*|\s+or\s+/)) {
    const clean = part.replace(/^\+/, '');
    if (unit !== 'share' && /^\d+(\.\d+)?\s*%$/.test(clean)) {
      t.relative = Math.max(t.relative, Number(clean.replace('%', '')) / 100);
      continue;
    }
    const a = absolute(clean, unit);
    if (a === undefined) {
      const forms = unit === 'share' ? `"${UNIT_HINT.share}" (percentage points)` : `"10%", "${UNIT_HINT[unit]}" or "10%, ${UNIT_HINT[unit]}"`;
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
