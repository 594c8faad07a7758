import type { FallbackStats } from '../../metrics/fallback-polls.js';
import type { CriterionResult } from '../criteria.js';
import type { Thresholds } from './types.js';
import { num, pct, pctText, skipped } from './format.js';
import type { Criterion } from './types.js';

/**
 * `fallback`: at least `fallbackOkShare` of the polls ok (HTTP 200, a JSON
 * object, fresh data; see fallback-poller.ts) and p99 latency of all polls
 * at most `fallbackP99Ms`. 100 polls with one timeout: 99 % ok, pass; two
 * failures: 98 %, fail. Skipped when no poll completed.
 */
export function judgeFallback(stats: FallbackStats, thresholds: Thresholds): CriterionResult {
  const pct1 = (v: number) => `${(v * 100).toFixed(v === 1 || v === 0 ? 0 : 1)} %`;
  const threshold = `>= ${pct1(thresholds.fallbackOkShare)} of polls ok, p99 <= ${thresholds.fallbackP99Ms} ms`;
  if (stats.polls === 0) {
    return { id: 'fallback', status: 'skipped', observed: '-', threshold, detail: `no poll of ${stats.url} completed` };
  }
  const share = stats.ok / stats.polls;
  const pass = share >= thresholds.fallbackOkShare && stats.p99Ms <= thresholds.fallbackP99Ms;
  const failures = Object.entries(stats.failures).map(([k, v]) => `${k} ${v}`).join(', ');
  const detail = [
    `GET ${stats.url} every ${stats.intervalMs} ms`,
    failures ? `failures: ${failures}` : '',
    stats.lastError ? `last network error: ${stats.lastError}` : '',
  ].filter(Boolean).join('; ');
  return {
    id: 'fallback',
    status: pass ? 'pass' : 'fail',
    observed: `${stats.ok}/${stats.polls} ok (${pct1(share)}), p99 ${stats.p99Ms.toFixed(0)} ms`,
    threshold,
    detail,
  };
}

export const fallback: Criterion = {
  id: 'fallback',
  title: () => 'Fallback to polling works',
  clauses: [
    { stats: ['ok'], op: '>=', unit: 'share', target: 'fallbackOkShare' },
    { stats: ['p99'], op: '<=', unit: 'time', target: 'fallbackP99Ms' },
  ],
  defaults: { fallbackOkShare: 0.99, fallbackP99Ms: 2000 },
  format: (t) => `ok >= ${pctText(t.fallbackOkShare)}, p99 <= ${num(t.fallbackP99Ms)}ms`,
  judge: ({ fallback: stats, thresholds: t }) =>
    stats ? judgeFallback(stats, t) : skipped('fallback', `>= ${pct(t.fallbackOkShare)} of polls ok, p99 <= ${t.fallbackP99Ms} ms`, 'no fallback URL polled in this run'),
};
