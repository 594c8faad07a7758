import { usageError } from '../errors.js';
import type { Verdict } from '../verdict/criteria.js';
import type { Report } from '../verdict/report.js';
import type { BaselineComparison } from './compare.js';
import { BASELINE_METRIC_IDS, keyMetrics, type KeyMetrics } from './metrics.js';

export const BASELINE_KIND = 'livestream-bench-baseline';
/** Version of the baseline file layout; bump on any breaking change. */
export const BASELINE_SCHEMA_VERSION = 1;

/**
 * The trimmed form `--save-baseline` writes: small enough to commit next to
 * the scenario, and enough to tell whether two runs are comparable.
 */
export interface Baseline {
  kind: typeof BASELINE_KIND;
  schemaVersion: typeof BASELINE_SCHEMA_VERSION;
  tool: { name: string; version: string };
  runId: string;
  startedAt: string;
  verdict: Verdict;
  target: { url: string; embedded: boolean; profile: string };
  settings: { clients: number; durationMs: number; rampMs: number; channels: string[] };
  metrics: KeyMetrics;
}

/** The baseline form of a report. Pure. */
export function toBaseline(report: Report): Baseline {
  const s = report.settings;
  return {
    kind: BASELINE_KIND,
    schemaVersion: BASELINE_SCHEMA_VERSION,
    tool: report.tool,
    runId: report.runId,
    startedAt: report.startedAt,
    verdict: report.verdict,
    target: report.target,
    settings: { clients: s.clients, durationMs: s.durationMs, rampMs: s.rampMs, channels: s.channels },
    metrics: keyMetrics(report),
  };
}

export function renderBaseline(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the report of a saved run, as raw JSON text: report.json. Throws a
 * usage error (exit 2) naming `source` when the text is not one.
 */
function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usageError(`${source} is not JSON: ${(err as Error).message}`);
  }
}

/** A saved report.json: the verdict's report, with the baseline comparison a run with --baseline wrote. */
export type SavedReport = Report & { baseline?: BaselineComparison };

export function parseReport(text: string, source: string): SavedReport {
  const data = parseJson(text, source);
  const problem = reportProblem(data);
  if (problem) throw usageError(`${source} is not a livestream-bench report: ${problem}`);
  const report = data as SavedReport;
  // written before an interrupted run stopped being a pass: rendered again, it is not one
  if (report.interrupted && report.verdict === 'pass') return { ...report, verdict: 'inconclusive', verdictReason: `interrupted: the run stopped before its end, so it is no pass; ${report.verdictReason.replace(/^interrupted; /, '')}` };
  return report;
}

function reportProblem(data: unknown): string | undefined {
  if (!isObject(data)) return 'expected a JSON object';
  if (data.schemaVersion !== 1) return `schemaVersion ${JSON.stringify(data.schemaVersion)} is not one this version reads (1)`;
  if (!Array.isArray(data.criteria)) return 'criteria is missing';
  if (!isObject(data.metrics) || !isObject(data.settings) || !isObject(data.target) || !isObject(data.steady)) return 'metrics, settings, target or steady is missing';
  if (!Array.isArray(data.series)) return 'series is missing';
  return undefined;
}

/**
 * Whether a file's text is a baseline or a report of this tool: the only
 * files `--save-baseline` may replace. Anything else (notes, another tool's
 * JSON, a file named by mistake) is someone's work.
 */
export function isBenchFile(text: string): boolean {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return false;
  }
  return (isObject(data) && data.kind === BASELINE_KIND) || reportProblem(data) === undefined;
}

/**
 * Reads a baseline: the trimmed form, or a whole report.json (whose key
 * metrics are taken). Throws a usage error naming `source` otherwise.
 */
export function parseBaseline(text: string, source: string): Baseline {
  const data = parseJson(text, source);
  if (isObject(data) && data.kind === BASELINE_KIND) {
    if (data.schemaVersion !== BASELINE_SCHEMA_VERSION) throw usageError(`${source}: baseline schemaVersion ${JSON.stringify(data.schemaVersion)} is not one this version reads (${BASELINE_SCHEMA_VERSION})`);
    const metrics = data.metrics;
    if (!isObject(metrics) || !isObject(data.settings) || !isObject(data.target)) throw usageError(`${source}: baseline lacks metrics, settings or target`);
    for (const id of BASELINE_METRIC_IDS) {
      const v = metrics[id];
      if (v !== undefined && v !== null && typeof v !== 'number') throw usageError(`${source}: baseline metric ${id} must be a number or null`);
    }
    return data as unknown as Baseline;
  }
  const problem = reportProblem(data);
  if (problem) throw usageError(`${source} is neither a baseline nor a livestream-bench report: ${problem}`);
  return toBaseline(data as Report);
}
