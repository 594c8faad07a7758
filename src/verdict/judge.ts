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
  const failed = criteria.filter((c) => c.status === 'fail').map((c) => c.id);
  if (input.health?.saturated) {
    return { verdict: 'inconclusive', reason: `the load generator was saturated (${input.health.reason}): figures describe the harness, not the target`, criteria };
  }
  if (failed.length > 0) return { verdict: 'fail', reason: `failed: ${failed.join(', ')}`, criteria };
  return { verdict: 'pass', reason: 'every measured criterion passed', criteria };
}
