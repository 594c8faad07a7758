import type { Report } from '../verdict/report.js';

/**
 * The key metrics a baseline keeps and a comparison judges. Ids are API
 * (scenario `baseline.tolerances`, `compare --tolerance`, report.baseline):
 * never rename one.
 */
export const BASELINE_METRIC_IDS = [
  'latency_p50',
  'latency_p99',
  'connect_p99',
  'welcome_p99',
  'bandwidth_mean',
  'bandwidth_p99',
  'lost_messages',
  'duplicates',
  'unintended_disconnects',
  'violations',
  'cadence_off',
  'uptime',
  'reconnect_p99',
  'clients_held',
] as const;

export type BaselineMetricId = (typeof BASELINE_METRIC_IDS)[number];
export type MetricUnit = 'ms' | 'B/s' | 'count' | 'share';

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

export interface BaselineMetricDef {
  id: BaselineMetricId;
  label: string;
  unit: MetricUnit;
  /** Which way is better; the other way is "worse". */
  better: 'lower' | 'higher';
  tolerance: Tolerance;
}

const def = (id: BaselineMetricId, label: string, unit: MetricUnit, better: 'lower' | 'higher', relative: number, absolute: number): BaselineMetricDef => ({
  id,
  label,
  unit,
  better,
  tolerance: { relative, absolute },
});

export const BASELINE_METRICS: readonly BaselineMetricDef[] = [
  def('latency_p50', 'latency p50', 'ms', 'lower', 0.1, 5),
  def('latency_p99', 'latency p99', 'ms', 'lower', 0.1, 5),
  def('connect_p99', 'connect time p99', 'ms', 'lower', 0.1, 20),
  def('welcome_p99', 'open -> welcome p99', 'ms', 'lower', 0.1, 20),
  def('bandwidth_mean', 'bandwidth per connection, mean', 'B/s', 'lower', 0.1, 0),
  def('bandwidth_p99', 'bandwidth per connection, p99', 'B/s', 'lower', 0.1, 0),
  def('lost_messages', 'lost messages', 'count', 'lower', 0, 0),
  def('duplicates', 'duplicate messages', 'count', 'lower', 0, 0),
  def('unintended_disconnects', 'unintended disconnects', 'count', 'lower', 0, 0),
  def('violations', 'protocol and consistency violations', 'count', 'lower', 0, 0),
  def('cadence_off', 'channel streams off cadence', 'count', 'lower', 0, 0),
  def('uptime', 'uptime', 'share', 'higher', 0, 0),
  def('reconnect_p99', 'cut -> first message p99', 'ms', 'lower', 0.1, 500),
  def('clients_held', 'clients held', 'count', 'higher', 0, 0),
];

export function metricDef(id: BaselineMetricId): BaselineMetricDef {
  return BASELINE_METRICS.find((d) => d.id === id)!;
}

export type KeyMetrics = Record<BaselineMetricId, number | null>;

/** The key metrics of a report; null where the run measured nothing (e.g. no reconnects). Pure. */
export function keyMetrics(report: Report): KeyMetrics {
  const m = report.metrics;
  const measured = (h: { count: number }, v: number) => (h.count > 0 ? v : null);
  const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);
  const expected = report.settings.clients * report.steady.ms;
  return {
    latency_p50: measured(m.latencyMs, m.latencyMs.p50),
    latency_p99: measured(m.latencyMs, m.latencyMs.p99),
    connect_p99: measured(m.connectMs, m.connectMs.p99),
    welcome_p99: measured(m.welcomeMs, m.welcomeMs.p99),
    bandwidth_mean: measured(m.bandwidthBps, m.bandwidthBps.mean),
    bandwidth_p99: measured(m.bandwidthBps, m.bandwidthBps.p99),
    lost_messages: sum(m.channels, (c) => c.lost),
    duplicates: sum(m.channels, (c) => c.duplicates),
    unintended_disconnects: m.disconnects.unintended,
    violations: sum(Object.values(m.violations), (v) => v),
    cadence_off: sum(m.channels, (c) => c.cadenceOff),
    uptime: expected > 0 ? Math.min(1, m.streamMs / expected) : null,
    reconnect_p99: measured(m.reconnect.firstMessageMs, m.reconnect.firstMessageMs.p99),
    clients_held: m.clients.held,
  };
}
