import type { BaselineComparison } from '../baseline/compare.js';
import type { Report } from '../verdict/report.js';

/** One sample of the target's resources; `t` in epoch ms (epoch seconds are accepted too). */
export interface ResourcePoint {
  t: number;
  /** CPU time over wall time, 1 = one core; null when unknown. */
  cpuShare: number | null;
  rssBytes: number | null;
}

/**
 * What the file reporters render: a report, with a baseline comparison when
 * the run had one and the target's resource series when it was sampled.
 * Both are optional so that any saved report.json renders.
 */
export type RenderableReport = Report & {
  baseline?: BaselineComparison;
};
