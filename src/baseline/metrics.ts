import { plannedClients, reconnectP99Ms, uptimeFigure } from '../verdict/figures.js';
import type { Report } from '../verdict/report.js';
import { BASELINE_METRIC_UNITS, type BaselineMetricId, type MetricUnit, type Tolerance } from '../scenario/tolerances.js';

/**
 * The key metrics a baseline keeps and a comparison judges. Their ids and
 * units are read with the scenario (scenario/tolerances.ts), which validates
 * tolerances for them; ids are API: never rename one.
 */
export { BASELINE_METRIC_IDS, type BaselineMetricId, type MetricUnit, type Tolerance } from '../scenario/tolerances.js';

export interface BaselineMetricDef {
  id: BaselineMetricId;
  label: string;
  unit: MetricUnit;
  /** Which way is better; the other way is "worse". */
  better: 'lower' | 'higher';
  tolerance: Tolerance;
}

const def = (id: BaselineMetricId, label: string, better: 'lower' | 'higher', relative: number, absolute: number): BaselineMetricDef => ({
  id,
  label,
  unit: BASELINE_METRIC_UNITS[id],
  better,
  tolerance: { relative, absolute },
});

export const BASELINE_METRICS: readonly BaselineMetricDef[] = [
  def('latency_p50', 'latency p50', 'lower', 0.1, 5),
  def('latency_p99', 'latency p99', 'lower', 0.1, 5),
  def('connect_p99', 'connect time p99', 'lower', 0.1, 20),
  def('welcome_p99', 'open -> welcome p99', 'lower', 0.1, 20),
  def('bandwidth_mean', 'bandwidth per connection, mean', 'lower', 0.1, 0),
  def('bandwidth_p99', 'bandwidth per connection, p99', 'lower', 0.1, 0),
  def('lost_messages', 'lost messages', 'lower', 0, 0),
  def('duplicates', 'duplicate messages', 'lower', 0, 0),
  def('unintended_disconnects', 'unintended disconnects', 'lower', 0, 0),
  def('violations', 'protocol and consistency violations', 'lower', 0, 0),
  def('cadence_off', 'channel streams off cadence', 'lower', 0, 0),
  def('uptime', 'uptime', 'higher', 0, 0),
  def('reconnect_p99', 'cut -> first message p99', 'lower', 0.1, 500),
  def('clients_held', 'clients held', 'higher', 0, 0),
];

export function metricDef(id: BaselineMetricId): BaselineMetricDef {
  return BASELINE_METRICS.find((d) => d.id === id)!;
}

export type KeyMetrics = Record<BaselineMetricId, number | null>;

/**
 * The key metrics of a report; null where the run measured nothing (e.g. no
 * cut came back). Uptime and reconnect are the figures their criteria judge
 * (verdict/figures.ts), so a baseline holds a run to what its report said.
 * Pure.
 */
export function keyMetrics(report: Report): KeyMetrics {
  const m = report.metrics;
  const measured = (h: { count: number }, v: number) => (h.count > 0 ? v : null);
  const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);
  const uptime = uptimeFigure(m, plannedClients(m, report.settings.clients), report.steady.ms);
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
    uptime: uptime ? uptime.share : null,
    reconnect_p99: reconnectP99Ms(m),
    clients_held: m.clients.held,
  };
}
