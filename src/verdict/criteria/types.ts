import type { ClockEstimate } from '../../metrics/clock-estimate.js';
import type { FallbackStats } from '../../metrics/fallback-polls.js';
import type { HarnessHealth } from '../../metrics/harness-health.js';
import type { ProbeReport } from '../../metrics/probe-results.js';
import type { ResourceSeries } from '../../metrics/resource-series.js';
import type { BrowserRun } from '../../metrics/browser-results.js';
import type { Sample } from '../../metrics/snapshot.js';
import type { TargetProfile } from '../../profile/index.js';
import type { CriterionId, CriterionResult } from '../criteria.js';
import type { MetricsSummary } from '../summary.js';
import type { Clause } from './grammar.js';
import type { OpenCount } from '../per-connection.js';

/** The limits the verdict judges against, one field per adjustable figure; each criterion module holds its own defaults. */
export interface Thresholds {
  connectShare: number;
  welcomeP99Ms: number;
  latencyP99Ms: number;
  bandwidthBps: number;
  uptimeShare: number;
  fallbackOkShare: number;
  fallbackP99Ms: number;
  serverCpuShare: number;
  memorySlopeMBPerMin: number;
  memoryGrowthShare: number;
  /** Bytes of RSS growth per connection opened (server_memory, memory-per-connection.ts). */
  memoryPerConnectionBytes: number;
  reconnectP99Ms: number;
}

/** What the verdict needs beyond the metrics; all plain data, so judging is pure. */
export interface JudgeInput {
  metrics: MetricsSummary;
  thresholds: Thresholds;
  planned: number;
  minClients: number;
  steadyMs: number;
  connectTimeoutMs: number;
  /** The stream judged: titles and skip reasons that depend on it come from here (default: the default profile). */
  profile?: TargetProfile;
  clock?: ClockEstimate;
  health?: HarnessHealth;
  /** Side measures, when the run made them. */
  probes?: ProbeReport;
  /** One series per source that sampled the target (a merge of shards may have several). */
  resources?: readonly ResourceSeries[];
  fallback?: FallbackStats;
  /** The first examples of each violation kind (the snapshot's samples), for details that show one. */
  samples?: readonly Sample[];
  /** Connections opened each second (the series' opens), for memory per connection opened. */
  opens?: readonly OpenCount[];
  /** Epoch ms of the steady phase, for the resource series. */
  steadyStartMs?: number;
  steadyEndMs?: number;
  /** What real browsers saw of the frontend page (`--page`); absent without one. */
  browsers?: readonly BrowserRun[];
  /** A skipped criterion fails the gate (`--strict`). */
  strict?: boolean;
  /** The run was stopped before its end (a signal): never a pass. */
  interrupted?: boolean;
  /** Results measured elsewhere by id; they replace the module's own judgement. */
  extra?: Partial<Record<CriterionId, CriterionResult>>;
}

/**
 * One Phase 3B criterion, whole: its id, its title (a function of the
 * profile where the line names the stream's figures), what a scenario may
 * write as its threshold and the default, and its judgement. The registry
 * (index.ts) lists them in criteria.md order.
 */
export interface Criterion {
  readonly id: CriterionId;
  title(profile: TargetProfile): string;
  /** Clauses a scenario's threshold line may hold; none means the threshold is fixed. */
  readonly clauses?: readonly Clause[];
  /** The fixed threshold, for the message that says a scenario cannot move it. */
  readonly fixed?: string;
  /** The module's share of DEFAULT_THRESHOLDS. */
  readonly defaults?: Partial<Thresholds>;
  /** The threshold line as a scenario writes it: the inverse of the clauses. */
  format?(t: Thresholds, minClients: number): string;
  /** Needs a connection that opened: skipped when none did. */
  readonly needsStream?: boolean;
  judge(input: JudgeInput): CriterionResult;
}
