import { ms, num, result, skipped } from './format.js';
import type { Criterion } from './types.js';

/** `handshake`: the welcome is the first message on every connection, open -> welcome p99 within the bound. */
export const handshake: Criterion = {
  id: 'handshake',
  title: () => 'Welcome message first, in time',
  clauses: [{ stats: ['p99'], op: '<=', unit: 'time', target: 'welcomeP99Ms' }],
  defaults: { welcomeP99Ms: 1000 },
  format: (t) => `p99 <= ${num(t.welcomeP99Ms)}ms`,
  needsStream: true,
  judge({ metrics: m, thresholds: t, profile }) {
    if (profile && profile.replies.welcome === undefined) return skipped('handshake', `every connection, p99 <= ${t.welcomeP99Ms} ms`, 'the profile has no welcome message');
    const notFirst = m.violations.welcome_not_first ?? 0;
    const missing = Math.max(0, m.connections - m.welcomes);
    const pass = m.connections > 0 && missing === 0 && notFirst === 0 && m.welcomeMs.p99 <= t.welcomeP99Ms;
    return result('handshake', pass,
      `${m.welcomes}/${m.connections} welcomed, p99 ${ms(m.welcomeMs.p99)}`,
      `every connection, p99 <= ${t.welcomeP99Ms} ms`,
      [missing ? `${missing} connection(s) without a welcome` : '', notFirst ? `${notFirst} connection(s) whose first message was not the welcome` : ''].filter(Boolean).join('; '));
  },
};
