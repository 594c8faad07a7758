import { result } from './format.js';
import type { Criterion } from './types.js';

/** `data_loss`: per channel and client, messages received against those expected from the cadence; no duplicates. */
export const dataLoss: Criterion = {
  id: 'data_loss',
  title: () => 'No data loss',
  fixed: '0 lost, 0 duplicates',
  needsStream: true,
  judge({ metrics: m }) {
    const lost = m.channels.reduce((a, c) => a + c.lost, 0);
    const dup = m.channels.reduce((a, c) => a + c.duplicates, 0);
    const expected = m.channels.reduce((a, c) => a + c.expected, 0);
    const per = m.channels.filter((c) => c.lost || c.duplicates).map((c) => `${c.channel}: ${c.lost} lost, ${c.duplicates} dup`).join('; ');
    const resumes = m.resumeLost > 0 ? `${m.resumeLost} of the lost across resumes: ticks the server never sent after a Last-Event-ID (resume_gap)` : '';
    const simSkipped = m.simulatorTicksSkipped > 0 ? `the embedded simulator itself skipped ${m.simulatorTicksSkipped} tick(s): its event loop was blocked past them (overloaded machine)` : '';
    return result('data_loss', lost === 0 && dup === 0 && expected > 0, `${lost} lost of ${expected} expected, ${dup} duplicate(s)`,
      '0 lost beyond edge tolerance, 0 duplicates', [per, resumes, simSkipped].filter(Boolean).join('; '));
  },
};
