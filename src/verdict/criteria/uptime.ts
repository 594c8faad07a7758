import { pct, pctText, result, skipped } from './format.js';
import type { Criterion } from './types.js';

/** `uptime`: the share of client-seconds with an open, streaming connection; time away after a harness cut is the cut's doing, not the target's. */
export const uptime: Criterion = {
  id: 'uptime',
  title: () => '100 % uptime during test',
  clauses: [{ stats: ['', 'share'], op: '>=', unit: 'share', target: 'uptimeShare' }],
  defaults: { uptimeShare: 1 },
  format: (t) => `share >= ${pctText(t.uptimeShare)}`,
  judge({ metrics: m, thresholds: t, planned, steadyMs }) {
    const threshold = `>= ${pct(t.uptimeShare)} of client-seconds`;
    if (steadyMs <= 0) return skipped('uptime', threshold, 'the run had no steady phase');
    const expected = planned * steadyMs - m.reconnect.cutAwayMs;
    const share = expected > 0 ? Math.min(1, m.streamMs / expected) : 0;
    return result('uptime', share >= t.uptimeShare - 1e-9, pct(share), threshold,
      `${(m.streamMs / 1000).toFixed(0)} of ${(expected / 1000).toFixed(0)} client-seconds streaming${m.reconnect.cutAwayMs ? `, ${(m.reconnect.cutAwayMs / 1000).toFixed(0)} away after harness cuts left out` : ''}`);
  },
};
