import { uptimeFigure } from '../figures.js';
import { pct, pctText, result, skipped } from './format.js';
import type { Criterion } from './types.js';

/** `uptime`: the share of client-seconds with an open, streaming connection (figures.ts has the worked example). */
export const uptime: Criterion = {
  id: 'uptime',
  title: () => '100 % uptime during test',
  clauses: [{ stats: ['', 'share'], op: '>=', unit: 'share', target: 'uptimeShare' }],
  defaults: { uptimeShare: 1 },
  format: (t) => `share >= ${pctText(t.uptimeShare)}`,
  judge({ metrics: m, thresholds: t, planned, steadyMs }) {
    const threshold = `>= ${pct(t.uptimeShare)} of client-seconds`;
    // the same figure the baseline keeps (figures.ts)
    const up = uptimeFigure(m, planned, steadyMs);
    if (!up) return skipped('uptime', threshold, 'the run had no steady phase');
    return result('uptime', up.share >= t.uptimeShare - 1e-9, pct(up.share), threshold,
      `${(m.streamMs / 1000).toFixed(0)} of ${(up.expectedMs / 1000).toFixed(0)} client-seconds streaming${m.reconnect.cutAwayMs ? `, ${(m.reconnect.cutAwayMs / 1000).toFixed(0)} away after harness cuts left out` : ''}${m.churn?.closes ? `, ${m.churn.closes} churn close(s) planned (${(m.churn.awayMs / 1000).toFixed(1)} s reopening left out)` : ''}`);
  },
};
