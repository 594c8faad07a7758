import type { ProbeCriterion, ProbeReport } from '../metrics/probe-results.js';
import type { CriterionResult } from './criteria.js';

/**
 * `subscriptions`, `error_handling` and `keepalive` from the probe report:
 * each passes when every probe of it passed. A criterion is skipped when
 * none of its probes ran (the profile has no channel that needs a
 * subscribe) or when the run was interrupted before they all ran; a target
 * the probe client could not connect to fails them all, with the reason.
 */

export type ProbeJudgement = Record<ProbeCriterion, CriterionResult>;

export const PROBES_THRESHOLD = 'all probes pass';

/** One probe criterion from the probe report; the criterion modules call it. */
export function judgeProbeCriterion(report: ProbeReport, criterion: ProbeCriterion): CriterionResult {
  const own = report.probes.filter((p) => p.criterion === criterion);
  const probes = own.filter((p) => p.skipped === undefined);
  const skipped = own.filter((p) => p.skipped !== undefined).map((p) => `${p.name} skipped: ${p.skipped}`);
  if (probes.length === 0) {
    const why = skipped.length > 0 ? skipped.join('; ') : criterion === 'subscriptions' ? 'the profile has no channel that needs a subscribe' : 'no probe of it ran';
    return { id: criterion, status: 'skipped', observed: '-', threshold: PROBES_THRESHOLD, detail: why };
  }
  if (report.interrupted && probes.some((p) => p.notRun === 'interrupted')) {
    return { id: criterion, status: 'skipped', observed: '-', threshold: PROBES_THRESHOLD, detail: 'the run was interrupted before its probes ran' };
  }
  const passed = probes.filter((p) => p.pass);
  const failed = probes.filter((p) => !p.pass);
  const detail = [
    failed.length ? failed.map((p) => `${p.name}: ${p.detail}`).join('; ') : probes.map((p) => `${p.name} ${Math.round(p.elapsedMs)} ms`).join(', '),
    ...skipped,
  ].join('; ');
  return {
    id: criterion,
    status: failed.length === 0 ? 'pass' : 'fail',
    observed: `${passed.length}/${probes.length} probes pass${failed.length ? ` (failed: ${failed.map((p) => p.name).join(', ')})` : ''}`,
    threshold: PROBES_THRESHOLD,
    detail,
  };
}

export function judgeProbes(report: ProbeReport): ProbeJudgement {
  return {
    subscriptions: judgeProbeCriterion(report, 'subscriptions'),
    error_handling: judgeProbeCriterion(report, 'error_handling'),
    keepalive: judgeProbeCriterion(report, 'keepalive'),
  };
}
