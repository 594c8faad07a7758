import { ms, num, result, skipped } from './format.js';
import type { Criterion } from './types.js';

/** `latency`: one-way latency p99, corrected by the clock offset estimated from ping/pong. */
export const latency: Criterion = {
  id: 'latency',
  title: () => 'Message latency < 500 ms',
  clauses: [{ stats: ['p99'], op: '<', unit: 'time', target: 'latencyP99Ms' }],
  defaults: { latencyP99Ms: 500 },
  format: (t) => `p99 < ${num(t.latencyP99Ms)}ms`,
  needsStream: true,
  judge({ metrics: m, thresholds: t, clock }) {
    const offset = clock
      ? `clock offset ${clock.offsetMs.toFixed(1)} ± ${clock.errorMs.toFixed(1)} ms from ${clock.samples} pings`
      : 'clock offset unknown (no pong): raw clocks';
    if (m.latencyMs.count === 0) return skipped('latency', `p99 < ${t.latencyP99Ms} ms`, 'no channel message received');
    return result('latency', m.latencyMs.p99 < t.latencyP99Ms, `p99 ${ms(m.latencyMs.p99)} (p50 ${ms(m.latencyMs.p50)}, max ${ms(m.latencyMs.max)})`, `p99 < ${t.latencyP99Ms} ms`, offset);
  },
};
