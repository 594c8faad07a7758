import { result } from './format.js';
import type { Criterion } from './types.js';

/**
 * `concurrency`: all N planned clients held through the steady phase, and
 * N at least the minimum. Its threshold line (`clients >= 10`) sets the
 * run's `minClients`, not a verdict limit.
 */
export const concurrency: Criterion = {
  id: 'concurrency',
  title: () => 'Supports 10+ concurrent connections',
  clauses: [{ stats: ['clients'], op: '>=', unit: 'count', target: 'minClients' }],
  format: (_t, minClients) => `clients >= ${minClients}`,
  judge({ metrics: m, planned, minClients }) {
    const pass = m.clients.held >= planned && planned >= minClients;
    return result('concurrency', pass, `${m.clients.held}/${planned} held (peak ${m.clients.peakOpen} open)`,
      `all N held, N >= ${minClients}`, planned < minClients ? `only ${planned} client(s) planned, fewer than the ${minClients} the criterion asks for: run more clients, or lower the bar with --min-clients ${planned} (scenario: thresholds: { concurrency: clients >= ${planned} })` : '');
  },
};
