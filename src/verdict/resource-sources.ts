import type { ResourceSeries } from '../metrics/resource-series.js';
import type { CriterionResult } from './criteria.js';
import { judgeResources, type ResourceJudgement } from './resources.js';
import type { Thresholds } from './thresholds.js';

/**
 * `server_cpu` and `server_memory` when the target was sampled from several
 * sources (a merge of shards that each sampled it): each source is judged
 * by itself (two views of one target are not one series), and a criterion
 * fails when any source fails it, passes when one passes and none fails,
 * and is skipped only when every source skipped it.
 *   pid 41: memory pass; metrics URL: memory fail -> fail, with that source's detail
 */
export function judgeResourceSources(sources: readonly ResourceSeries[], steadyStartMs: number, steadyEndMs: number, thresholds: Thresholds): ResourceJudgement | undefined {
  if (sources.length === 0) return undefined;
  const each = sources.map((s) => judgeResources(s, steadyStartMs, steadyEndMs, thresholds));
  if (each.length === 1) return each[0];
  const pick = (id: keyof ResourceJudgement): CriterionResult => {
    const results = each.map((j) => j[id]);
    const chosen = results.find((r) => r.status === 'fail') ?? results.find((r) => r.status === 'pass') ?? results[0];
    return { ...chosen, detail: `${chosen.detail}; judged on each of ${sources.length} sources: ${results.map((r, i) => `${sources[i].origin} ${r.status}`).join(', ')}` };
  };
  return { server_cpu: pick('server_cpu'), server_memory: pick('server_memory') };
}
