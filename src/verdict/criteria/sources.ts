import type { ResourceSeries } from '../../metrics/resource-series.js';
import type { CriterionResult } from '../criteria.js';

/**
 * A resource criterion when the target was sampled from several sources (a
 * merge of shards that each sampled it): each source is judged by itself
 * (two views of one target are not one series), and the criterion fails
 * when any source fails it, passes when one passes and none fails, and is
 * skipped only when every source skipped it.
 *   pid 41: memory pass; metrics URL: memory fail -> fail, with that source's detail
 * Undefined without a source.
 */
export function judgeAcrossSources(sources: readonly ResourceSeries[], judgeOne: (series: ResourceSeries) => CriterionResult): CriterionResult | undefined {
  if (sources.length === 0) return undefined;
  const results = sources.map(judgeOne);
  if (results.length === 1) return results[0];
  const chosen = results.find((r) => r.status === 'fail') ?? results.find((r) => r.status === 'pass') ?? results[0];
  return { ...chosen, detail: `${chosen.detail}; judged on each of ${sources.length} sources: ${results.map((r, i) => `${sources[i].origin} ${r.status}`).join(', ')}` };
}
