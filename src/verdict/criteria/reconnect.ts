import { reconnectP99Ms } from '../figures.js';
import { ms, num, pct, result, skipped } from './format.js';
import type { Criterion } from './types.js';

/** `reconnect`: every connection the harness cut on purpose came back and streamed again, in time. */
export const reconnect: Criterion = {
  id: 'reconnect',
  title: () => 'Automatic reconnection working',
  clauses: [{ stats: ['p99'], op: '<=', unit: 'time', target: 'reconnectP99Ms' }],
  defaults: { reconnectP99Ms: 15_000 },
  format: (t) => `p99 <= ${num(t.reconnectP99Ms)}ms`,
  judge({ metrics: m, thresholds: t }) {
    const r = m.reconnect;
    const threshold = `100 % back, p99 time to first message <= ${t.reconnectP99Ms / 1000} s`;
    if (r.cuts === 0) {
      return skipped('reconnect', threshold, r.cutRoundsPlanned > 0 ? 'no connection was open to cut' : 'no connection was cut on purpose (no chaos, or the steady phase is too short for a cut and a return)');
    }
    const share = r.cutBack / r.cuts;
    // the same figure the baseline keeps (figures.ts)
    const p99 = reconnectP99Ms(m) ?? 0;
    const modes = Object.entries(r.cutsByMode).map(([k, v]) => `${k} ${v}`).join(', ');
    return result('reconnect', r.cutBack === r.cuts && p99 <= t.reconnectP99Ms,
      `${r.cutBack}/${r.cuts} back (${pct(share)}), p99 ${ms(p99)} to first message`, threshold,
      `cuts: ${modes}; reopen p50 ${ms(r.cutReopenMs.p50)}, p99 ${ms(r.cutReopenMs.p99)}; ${r.cutMissed} message(s) missed while away`);
  },
};
