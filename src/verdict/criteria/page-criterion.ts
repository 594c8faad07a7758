import type { BrowserRun } from '../../metrics/browser-results.js';
import type { CriterionId, CriterionResult } from '../criteria.js';
import { skipped } from './format.js';
import type { BrowserVerdict } from './page-figures.js';
import type { JudgeInput } from './types.js';

export const NO_PAGE = 'no page given (--page)';

/**
 * A browser criterion over every browser: fails when one fails, skipped when
 * every browser skipped it (or no page was given), the observed figure of
 * each browser side by side.
 */
export function perBrowser(id: CriterionId, input: JudgeInput, threshold: string, judgeOne: (b: BrowserRun) => BrowserVerdict): CriterionResult {
  const browsers = input.browsers;
  if (!browsers?.length) return skipped(id, threshold, NO_PAGE);
  const all = browsers.map((b) => ({ b, v: judgeOne(b) }));
  if (all.every((x) => x.v.status === 'skipped')) return skipped(id, threshold, all[0].v.detail);
  const many = browsers.length > 1;
  const status = all.some((x) => x.v.status === 'fail') ? 'fail' : 'pass';
  return {
    id,
    status,
    observed: all.map((x) => (many ? `${x.b.kind}: ${x.v.observed}` : x.v.observed)).join('; '),
    threshold,
    detail: all.filter((x) => x.v.detail).map((x) => (many ? `${x.b.kind}: ${x.v.detail}` : x.v.detail)).join('; '),
  };
}
