import type { MetricsSnapshot } from '../../metrics/snapshot.js';
import type { TargetProfile } from '../../profile/index.js';
import type { AdvisoryId } from '../../scenario/advisory-ids.js';
import type { MetricsSummary } from '../summary.js';

/** One advisory found in a run: `advisories: [{ id, detail }]` in report.json (docs/cli.md). */
export interface Advisory {
  id: AdvisoryId;
  detail: string;
  /** The scenario promoted it to a failure (`failOn`): it fails the run. */
  promoted?: true;
}

/** What an advisory reads: plain data, so finding them is pure. */
export interface AdvisoryInput {
  metrics: MetricsSummary;
  /** The raw metrics: histograms and counters the summary does not carry, probes, resources, the open series. */
  snapshot: MetricsSnapshot;
  profile: TargetProfile;
}

/** One advisory rule: its id, and the detail when the run shows it (undefined: not found, or nothing to judge). */
export interface AdvisoryRule {
  readonly id: AdvisoryId;
  find(input: AdvisoryInput): string | undefined;
}
