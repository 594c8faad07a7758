import { defaultProfile } from '../profile/index.js';
import { CRITERION_IDS, type CriterionId, type CriterionResult, type Verdict } from './criteria.js';
import { CRITERIA, type JudgeInput } from './criteria/index.js';
import { skipped } from './criteria/format.js';

export type { JudgeInput } from './criteria/index.js';

export interface Judgement {
  verdict: Verdict;
  reason: string;
  criteria: CriterionResult[];
}

/**
 * "15 passed, 3 skipped (server_cpu, server_memory, fallback)": what the
 * verdict stands on, so a pass with criteria skipped never reads as a full one.
 */
export function tally(criteria: readonly CriterionResult[]): string {
  const passed = criteria.filter((c) => c.status === 'pass').length;
  const skippedIds = criteria.filter((c) => c.status === 'skipped').map((c) => c.id);
  return skippedIds.length > 0 ? `${passed} passed, ${skippedIds.length} skipped (${skippedIds.join(', ')})` : `all ${passed} passed`;
}

/**
 * The verdict over the criteria, in this order: a saturated harness is
 * inconclusive (its figures are its own); a failed criterion fails; under
 * `strict` a skipped one fails too; an interrupted run is inconclusive (what
 * it did not get to measure is unknown), never a pass; else a pass that
 * says how many were skipped.
 *   interrupted, latency failed      -> fail, "interrupted; failed: latency; ..."
 *   interrupted, nothing failed      -> inconclusive, "interrupted: ..."
 *   3 skipped, not strict            -> pass, "15 passed, 3 skipped (...): --strict fails on skipped"
 *   3 skipped, strict                -> fail, "--strict: 3 skipped (...) ..."
 */
function verdictOf(criteria: readonly CriterionResult[], input: Pick<JudgeInput, 'health' | 'strict' | 'interrupted'>): { verdict: Verdict; reason: string } {
  const failed = criteria.filter((c) => c.status === 'fail').map((c) => c.id);
  const skippedIds = criteria.filter((c) => c.status === 'skipped').map((c) => c.id);
  const stopped = input.interrupted ? 'interrupted; ' : '';
  if (input.health?.saturated) {
    return { verdict: 'inconclusive', reason: `${stopped}the load generator was saturated (${input.health.reason}): figures describe the harness, not the target` };
  }
  if (failed.length > 0) return { verdict: 'fail', reason: `${stopped}failed: ${failed.join(', ')}; ${tally(criteria)}` };
  if (input.strict && skippedIds.length > 0) {
    return { verdict: 'fail', reason: `${stopped}--strict: ${skippedIds.length} skipped (${skippedIds.join(', ')}) fail the gate; ${criteria.length - skippedIds.length} passed` };
  }
  if (input.interrupted) return { verdict: 'inconclusive', reason: `interrupted: the run stopped before its end, so it is no pass; ${tally(criteria)} on what it measured` };
  return { verdict: 'pass', reason: skippedIds.length > 0 ? `${tally(criteria)}: --strict fails on skipped` : tally(criteria) };
}

/** Judges every criterion in criteria.md order, each by its module (criteria/). Pure. */
export function judge(input: JudgeInput): Judgement {
  const profile = input.profile ?? defaultProfile();
  const out = new Map<CriterionId, CriterionResult>();
  for (const c of CRITERIA) {
    let r = c.judge(input);
    // Nothing opened: criteria about what a connection carries have nothing
    // to judge, and saying "pass" or "fail" for them would mislead.
    if (c.needsStream && input.metrics.connections === 0) r = skipped(c.id, r.threshold, 'no connection opened');
    out.set(c.id, r);
  }
  for (const [id, r] of Object.entries(input.extra ?? {})) if (r) out.set(id as CriterionId, r);
  const criteria = CRITERION_IDS.map((id) => {
    const { id: _id, ...r } = out.get(id)!;
    return { id, title: r.title ?? CRITERIA.find((c) => c.id === id)!.title(profile), ...r };
  });
  return { ...verdictOf(criteria, input), criteria };
}
