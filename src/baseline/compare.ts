import type { Report } from '../verdict/report.js';
import type { Baseline } from './file.js';
import { BASELINE_METRICS, type BaselineMetricId, type MetricUnit } from './metrics.js';
import { describeTolerance, type Tolerances } from './tolerance.js';

export type RowStatus = 'ok' | 'improved' | 'regression' | 'n/a';

export interface ComparisonRow {
  metric: BaselineMetricId;
  label: string;
  unit: MetricUnit;
  better: 'lower' | 'higher';
  baseline: number | null;
  current: number | null;
  /** current - baseline, in the metric's unit. */
  change: number | null;
  /** change / baseline; null when the baseline is 0 or either side is missing. */
  changeShare: number | null;
  /** How much worse it may get, in words. */
  tolerance: string;
  status: RowStatus;
}

/** A comparison of a run with its baseline; `report.baseline` in report.json. */
export interface BaselineComparison {
  baseline: { runId: string; startedAt: string; source?: string };
  rows: ComparisonRow[];
  /** Metrics that got worse beyond their tolerance, in row order. */
  regressions: BaselineMetricId[];
  /** Differences between the two runs that make the comparison less fair. */
  notes: string[];
}

// Float noise must not turn "exactly at the tolerance" into a regression.
const EPSILON = 1e-9;

/**
 * Compares the key metrics of a run with a baseline. Pure: the same two
 * inputs always give the same rows, and nothing is read or written.
 *   latency_p99 baseline 2.0 ms, now 9.0 ms, tolerance 10 % / 5 ms:
 *     allowed worse = max(0.2, 5) = 5 ms; 7 ms worse -> regression.
 */
export function compareBaseline(baseline: Baseline, current: Baseline, overrides: Tolerances = {}, source?: string): BaselineComparison {
  const rows: ComparisonRow[] = BASELINE_METRICS.map((d) => {
    const tolerance = overrides[d.id] ?? d.tolerance;
    const b = baseline.metrics[d.id] ?? null;
    const c = current.metrics[d.id] ?? null;
    const row: ComparisonRow = {
      metric: d.id,
      label: d.label,
      unit: d.unit,
      better: d.better,
      baseline: b,
      current: c,
      change: null,
      changeShare: null,
      tolerance: describeTolerance(tolerance, d.unit, d.better),
      status: 'n/a',
    };
    if (b === null || c === null) return row;
    row.change = c - b;
    row.changeShare = b !== 0 ? (c - b) / Math.abs(b) : null;
    const worse = d.better === 'lower' ? c - b : b - c;
    const allowed = Math.max(Math.abs(b) * tolerance.relative, tolerance.absolute);
    row.status = worse > allowed + EPSILON ? 'regression' : worse < -EPSILON ? 'improved' : 'ok';
    return row;
  });
  return {
    baseline: { runId: baseline.runId, startedAt: baseline.startedAt, ...(source !== undefined ? { source } : {}) },
    rows,
    regressions: rows.filter((r) => r.status === 'regression').map((r) => r.metric),
    notes: fairnessNotes(baseline, current),
  };
}

function fairnessNotes(a: Baseline, b: Baseline): string[] {
  const notes: string[] = [];
  const differ = (what: string, x: unknown, y: unknown, show: (v: never) => string = String) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) notes.push(`${what} differ: baseline ${show(x as never)}, now ${show(y as never)}`);
  };
  differ('clients', a.settings.clients, b.settings.clients);
  differ('steady phases', a.settings.durationMs, b.settings.durationMs, (v: number) => `${v / 1000} s`);
  differ('channels', a.settings.channels, b.settings.channels, (v: string[]) => v.join(', '));
  differ('profiles', a.target.profile, b.target.profile);
  if (a.target.embedded !== b.target.embedded || (!a.target.embedded && a.target.url !== b.target.url)) {
    notes.push(`targets differ: baseline ${a.target.embedded ? 'the embedded simulator' : a.target.url}, now ${b.target.embedded ? 'the embedded simulator' : b.target.url}`);
  }
  notes.push(...advisoryNotes(a.advisories, b.advisories));
  if (a.verdict !== 'pass') notes.push(`the baseline run's verdict was ${a.verdict}, so it is a weak reference`);
  return notes;
}

/**
 * Advisories that came or went since the baseline: worth a note, never a
 * regression (an advisory fails a run only when the scenario promotes it).
 *   baseline [frame_size], now [frame_size, unknown_channel] -> "advisory new since the baseline: unknown_channel"
 */
export function advisoryNotes(baseline: readonly string[] | undefined, now: readonly string[] | undefined): string[] {
  if (baseline === undefined || now === undefined) return [];
  const added = now.filter((id) => !baseline.includes(id));
  const gone = baseline.filter((id) => !now.includes(id));
  return [
    ...(added.length ? [`advisory new since the baseline: ${added.join(', ')}`] : []),
    ...(gone.length ? [`advisory gone since the baseline: ${gone.join(', ')}`] : []),
  ];
}

/**
 * The report with its comparison attached. A regression fails a run that
 * otherwise passed; an inconclusive run stays inconclusive, since its
 * figures describe the harness. Pure: returns a new report.
 */
export function withBaseline<R extends Report>(report: R, comparison: BaselineComparison): R & { baseline: BaselineComparison } {
  const regressed = comparison.regressions.length > 0;
  const reason = `baseline regression: ${comparison.regressions.join(', ')}`;
  if (!regressed || report.verdict === 'inconclusive') {
    return { ...report, baseline: comparison, ...(regressed ? { verdictReason: `${report.verdictReason}; ${reason}` } : {}) };
  }
  return {
    ...report,
    verdict: 'fail',
    verdictReason: report.verdict === 'fail' ? `${report.verdictReason}; ${reason}` : reason,
    baseline: comparison,
  };
}
