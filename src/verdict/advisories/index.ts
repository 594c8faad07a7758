import type { AdvisoryId } from '../../scenario/advisory-ids.js';
import type { Judgement } from '../judge.js';
import { frameSize } from './frame-size.js';
import { threadGrowth } from './thread-growth.js';
import { lateFirstMessage, lateWelcome } from './timeline.js';
import type { Advisory, AdvisoryInput, AdvisoryRule } from './types.js';
import { unknownChannel } from './unknown-channel.js';

export type { Advisory, AdvisoryInput, AdvisoryRule } from './types.js';

/** Every advisory rule, in ADVISORY_IDS order (a test holds them equal). */
export const ADVISORY_RULES: readonly AdvisoryRule[] = [unknownChannel, lateWelcome, lateFirstMessage, frameSize, threadGrowth];

/** The advisories a run shows, those named in `failOn` marked promoted. Pure. */
export function findAdvisories(input: AdvisoryInput, failOn: readonly AdvisoryId[] = []): Advisory[] {
  const out: Advisory[] = [];
  for (const rule of ADVISORY_RULES) {
    const detail = rule.find(input);
    if (detail !== undefined) out.push({ id: rule.id, detail, ...(failOn.includes(rule.id) ? { promoted: true as const } : {}) });
  }
  return out;
}

/**
 * The verdict with the promoted advisories counted as failures: a run that
 * passed fails, one that failed names them too; an inconclusive run stays
 * inconclusive (its figures describe the harness), as with a failed criterion.
 * An advisory nobody promoted never changes the verdict.
 */
export function withPromoted(j: Judgement, advisories: readonly Advisory[]): Judgement {
  const promoted = advisories.filter((a) => a.promoted).map((a) => a.id);
  if (promoted.length === 0 || j.verdict === 'inconclusive') return j;
  const why = `advisory promoted by failOn: ${promoted.join(', ')}`;
  return { ...j, verdict: 'fail', reason: j.verdict === 'fail' ? `${j.reason}; ${why}` : `failed: ${why}` };
}
