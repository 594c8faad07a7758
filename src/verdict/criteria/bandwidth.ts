import { num, result, skipped } from './format.js';
import type { Criterion } from './types.js';

/** `bandwidth`: wire bytes per connection per second over the steady phase; mean and p99 over connections held to one limit. */
export const bandwidth: Criterion = {
  id: 'bandwidth',
  title: () => 'Bandwidth < 1 KB/s per connection',
  clauses: [{ stats: ['', 'mean', 'p99'], op: '<', unit: 'rate', target: 'bandwidthBps' }],
  defaults: { bandwidthBps: 1024 },
  format: (t) => `mean < ${num(t.bandwidthBps)}B/s`,
  needsStream: true,
  judge({ metrics: m, thresholds: t }) {
    const b = m.bandwidthBps;
    const threshold = `mean and p99 < ${t.bandwidthBps} B/s`;
    if (b.count === 0) return skipped('bandwidth', threshold, 'no connection was open for a second of the steady phase');
    return result('bandwidth', b.mean < t.bandwidthBps && b.p99 < t.bandwidthBps,
      `mean ${b.mean.toFixed(0)} B/s, p99 ${b.p99.toFixed(0)} B/s`, threshold, `${b.count} connection(s) measured`);
  },
};
