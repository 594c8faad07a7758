import { describeConnectErrors } from '../../engine/connect-errors.js';
import { ms, pct, pctText, result } from './format.js';
import type { Criterion } from './types.js';

/** `connect`: the share of clients whose first open succeeded within the connect timeout, and none failed. */
export const connect: Criterion = {
  id: 'connect',
  title: () => 'WebSocket connection establishes',
  clauses: [{ stats: ['', 'share'], op: '>=', unit: 'share', target: 'connectShare' }],
  defaults: { connectShare: 1 },
  format: (t) => `share >= ${pctText(t.connectShare)}`,
  judge({ metrics: m, thresholds: t, planned, connectTimeoutMs, samples = [] }) {
    const share = planned > 0 ? m.clients.connectedFirstTry / planned : 0;
    const failed = samples.filter((x) => x.kind === 'connect_failed').map((x) => x.detail);
    const stopped = m.stoppedEarly ? '; the run stopped early: every first attempt failed this way, so no client could pass' : '';
    const errors = describeConnectErrors(m.connectErrors, failed);
    // a reopen after a churn close is checked like a first open: it must succeed too
    const churn = m.churn ?? { closes: 0, reopened: 0, reopenFailed: 0 };
    const reopens = churn.closes > 0 ? `; ${churn.reopened} of ${churn.closes} churn reopen(s) ok` : '';
    return result('connect', share >= t.connectShare && m.clients.failedFirstTry === 0 && churn.reopenFailed === 0,
      `${m.clients.connectedFirstTry}/${planned} (${pct(share)}), p99 ${ms(m.connectMs.p99)}${reopens}`,
      `${pct(t.connectShare)} within ${connectTimeoutMs / 1000} s`,
      [errors ? `failed attempts: ${errors}${stopped}` : '', churn.reopenFailed > 0 ? `${churn.reopenFailed} reopen(s) after a churn close failed` : ''].filter(Boolean).join('; '));
  },
};
