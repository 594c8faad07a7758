import { createRequire } from 'node:module';
import type { RunResult } from '../engine/run.js';
import type { ClockEstimate } from '../metrics/clock-estimate.js';
import type { FallbackStats } from '../metrics/fallback-polls.js';
import { judgeHealth, type HarnessHealth } from '../metrics/harness-health.js';
import { summarizeEncoded } from '../metrics/histogram.js';
import type { ProbeReport } from '../metrics/probe-results.js';
import type { ResourceSeries } from '../metrics/resource-series.js';
import type { BrowserRun } from '../metrics/browser-results.js';
import type { MetricsSnapshot, Sample, SeriesPoint } from '../metrics/snapshot.js';
import { findProfile } from '../profile/index.js';
import type { CriterionResult, Verdict } from './criteria.js';
import { judge } from './judge.js';
import { findAdvisories, withPromoted, type Advisory } from './advisories/index.js';
import type { AdvisoryId } from '../scenario/advisory-ids.js';
import { plannedClients } from './figures.js';
import { usageError } from '../errors.js';
import { redactUrl } from './redact.js';
import { summarizeMetrics, type MetricsSummary } from './summary.js';
import { openCounts, threadFigures } from './threads.js';
import type { Thresholds } from './thresholds.js';
import { resolveThresholds } from './threshold-text.js';
import { WHOLE, type Slice } from '../scenario/slice.js';
import type { ChaosSettings, Stage } from '../scenario/stages.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { name: string; version: string };

/** Version of the report.json layout; bump on any breaking change. */
export const REPORT_SCHEMA_VERSION = 1;

/** A per-second point for people: the latency histogram read as percentiles. */
export type SeriesRow = Omit<SeriesPoint, 'latency'> & {
  latencyP50Ms: number;
  latencyP99Ms: number;
};

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: string; version: string };
  runId: string;
  verdict: Verdict;
  verdictReason: string;
  interrupted: boolean;
  criteria: CriterionResult[];
  /** Findings worth a person's eye that do not fail the run unless promoted (docs/criteria.md, "Advisories"). */
  advisories: Advisory[];
  metrics: MetricsSummary;
  /** `nice`: steps the embedded simulator ran below the harness (absent for a target of one's own). */
  target: { url: string; embedded: boolean; profile: string; nice?: number };
  settings: {
    clients: number;
    durationMs: number;
    rampMs: number;
    channels: string[];
    connectTimeoutMs: number;
    minClients: number;
    /** A skipped criterion failed the gate (`--strict`); absent in reports written before it existed. */
    strict?: boolean;
    reconnectPolicy: RunResult['settings']['policy'];
    simulatorFaults: string[];
    stages?: Stage[];
    chaos?: ChaosSettings;
    /** This report's slice of a run split across machines (0-based index). */
    shard: Slice;
    workers: number;
    /** Share of clients checked in full (1 unless --check-sample). */
    checkSample: number;
    /** Destination addresses the clients were spread over. */
    addresses: number;
    /** Advisories promoted to failures. */
    failOn?: AdvisoryId[];
  };
  thresholds: Thresholds;
  clock: ClockEstimate | null;
  harness: HarnessHealth;
  startedAt: string;
  endedAt: string;
  steady: { start: string; end: string; ms: number };
  violations: Sample[];
  series: SeriesRow[];
  /**
   * The mergeable raw metrics: encoded histograms, counters, per-second
   * points, and the side measures below (what `merge` reads).
   */
  snapshot: MetricsSnapshot;
  /** Each protocol probe: what was sent, what came back, when. */
  probes?: ProbeReport;
  /** The target's CPU share and resident memory, sampled each second (the first source; the snapshot has every one). */
  resources?: ResourceSeries;
  /** Every poll of the REST fallback. */
  fallback?: FallbackStats;
  /** What each real browser saw of the frontend page (`--page`). */
  browsers?: BrowserRun[];
  /** Each `--export` of the run's live metrics: pushes made and failed (a failed push never changes the verdict). */
  exports?: ExportStats[];
}

/** What one live export did (live/): `to` redacted, as every URL in a report. */
export interface ExportStats {
  kind: string;
  to: string;
  pushes: number;
  failed: number;
  /** The first failure, in words. */
  firstError?: string;
}

/** Per-second points as rows: the report's, and the live dashboard's charts of the seconds kept so far. */
export function rowsOf(series: readonly SeriesPoint[]): SeriesRow[] {
  return series.map((p) => {
    // a closed second's encoding never changes: remembered, the live view's judgement each second is cheap
    const lat = summarizeEncoded(p.latency, 1000);
    return {
      t: p.t,
      open: p.open,
      messages: p.messages,
      bytes: p.bytes,
      disconnects: p.disconnects,
      reconnects: p.reconnects,
      opens: p.opens ?? 0,
      cuts: p.cuts ?? 0,
      churns: p.churns ?? 0,
      latencyP50Ms: lat.p50,
      latencyP99Ms: lat.p99,
    };
  });
}

export function runId(startedAt: number): string {
  return new Date(startedAt).toISOString().replace(/[:.]/g, '-').replace('Z', '');
}

/** The limits of a run's threshold texts over the defaults; a bad line is a usage error. */
export function runThresholds(run: RunResult): Thresholds {
  const r = resolveThresholds(run.settings.thresholds);
  if (r.problems.length > 0) throw usageError(`thresholds: ${r.problems.map((p) => p.message).join('; ')}`);
  return r.thresholds;
}

/** Judges a finished run and assembles its report. Pure but for the clock-free inputs. */
export function buildReport(run: RunResult, thresholds: Thresholds = runThresholds(run)): Report {
  const s = run.settings;
  const snap = run.snapshot;
  const profile = findProfile(s.profile)!;
  const summary = summarizeMetrics(snap, profile, s.channels);
  const threads = threadFigures(snap.resources, snap.series, run.steadyStartMs, run.steadyEndMs);
  const metrics: MetricsSummary = threads ? { ...summary, threads } : summary;
  const steadyMs = Math.max(0, run.steadyEndMs - run.steadyStartMs);
  const planned = plannedClients(metrics, s.clients);
  const health = snap.health ?? judgeHealth(0, 0, 0);
  const judged = judge({
    metrics,
    thresholds,
    planned,
    minClients: s.minClients,
    steadyMs,
    connectTimeoutMs: s.connectTimeoutMs,
    profile,
    clock: snap.clock,
    health,
    probes: snap.probes,
    resources: snap.resources,
    fallback: snap.fallback,
    browsers: snap.browsers,
    samples: snap.samples,
    steadyStartMs: run.steadyStartMs,
    steadyEndMs: run.steadyEndMs,
    opens: openCounts(snap.series),
    strict: s.strict === true,
    interrupted: run.interrupted,
  });
  const advisories = findAdvisories({ metrics, snapshot: snap, profile }, s.failOn);
  const j = withPromoted(judged, advisories);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: pkg.name, version: pkg.version },
    runId: runId(run.startedAt),
    verdict: j.verdict,
    verdictReason: j.reason,
    interrupted: run.interrupted,
    criteria: j.criteria,
    advisories,
    metrics,
    target: { url: redactUrl(run.target.url), embedded: run.target.embedded, profile: s.profile, ...(run.target.nice !== undefined ? { nice: run.target.nice } : {}) },
    settings: {
      clients: s.clients,
      durationMs: s.durationMs,
      rampMs: s.rampMs,
      channels: s.channels,
      connectTimeoutMs: s.connectTimeoutMs,
      minClients: s.minClients,
      strict: s.strict === true,
      reconnectPolicy: s.policy,
      simulatorFaults: s.simulatorFaults,
      ...(s.stages ? { stages: s.stages } : {}),
      ...(s.chaos ? { chaos: s.chaos } : {}),
      shard: run.shard ?? s.shard ?? WHOLE,
      workers: run.workers ?? 1,
      checkSample: s.checkSample ?? 1,
      addresses: run.target.urls?.length ?? 1,
      ...(s.failOn?.length ? { failOn: s.failOn } : {}),
    },
    thresholds,
    clock: snap.clock ?? null,
    harness: health,
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: new Date(run.endedAt).toISOString(),
    steady: { start: new Date(run.steadyStartMs).toISOString(), end: new Date(run.steadyEndMs).toISOString(), ms: steadyMs },
    violations: snap.samples,
    series: rowsOf(snap.series),
    // the screenshots go once, with the browsers below, not again in the snapshot
    snapshot: snap.browsers ? { ...snap, browsers: snap.browsers.map(({ screenshots: _s, ...b }) => b) } : snap,
    ...(snap.probes ? { probes: snap.probes } : {}),
    ...(snap.resources?.length ? { resources: snap.resources[0] } : {}),
    ...(snap.fallback ? { fallback: snap.fallback } : {}),
    ...(snap.browsers ? { browsers: snap.browsers } : {}),
  };
}
