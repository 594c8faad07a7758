import type { TargetProfile } from '../../profile/index.js';
import { ms, result, skipped } from './format.js';
import type { Criterion } from './types.js';

const THRESHOLD = 'mean within 5 %, p99 <= 1.5x, p1 >= 0.5x interval';

/**
 * The channel intervals of a profile as the Phase 3B line writes them:
 * channels every 1, 2, 3 and 5 s read "1/2/3/5 s"; 500 ms and 2 s read
 * "0.5/2 s". Distinct, in rising order.
 */
export function intervalsText(profile: TargetProfile): string {
  const seconds = [...new Set(profile.channels.map((c) => c.intervalMs))].sort((a, b) => a - b).map((v) => String(Number((v / 1000).toFixed(3))));
  return seconds.length > 0 ? `${seconds.join('/')} s` : 'its interval';
}

/** `cadence`: per channel and client, the gaps between messages against the channel's interval (see checks/cadence.ts). */
export const cadence: Criterion = {
  id: 'cadence',
  title: (profile) => `Continuous data flow every ${intervalsText(profile)}`,
  fixed: THRESHOLD,
  needsStream: true,
  judge({ metrics: m }) {
    // a channel off cadence with no gaps at all was silent for over two intervals (checks/cadence.ts): judged, and failed
    const isJudged = (c: (typeof m.channels)[number]) => c.gapMs.count > 0 || c.cadenceOff > 0;
    const judged = m.channels.filter(isJudged);
    if (judged.length === 0) return skipped('cadence', 'mean within 5 %, p99 <= 1.5x, p1 >= 0.5x', 'no channel delivered two messages on one connection');
    const off = judged.reduce((a, c) => a + c.cadenceOff, 0);
    const streams = judged.reduce((a, c) => a + c.streams, 0);
    const worst = judged
      .map((c) => (c.gapMs.count > 0 ? `${c.channel} mean ${ms(c.meanGapMs)} p99 ${ms(c.gapMs.p99)}` : `${c.channel} silent (${c.received} received, ${c.cadenceOff} stream(s) with nothing in over 2 intervals of ${ms(c.intervalMs)})`))
      .join('; ');
    const unjudged = m.channels.filter((c) => !isJudged(c)).map((c) => c.channel);
    // gaps the harness's own stalls could explain were not held against the target: say so, it is not the target's figure
    const stalled = judged.reduce((a, c) => a + (c.stallGaps ?? 0), 0);
    return result('cadence', off === 0, `${off}/${streams} channel streams off`, THRESHOLD,
      worst + (unjudged.length ? `; too short to judge: ${unjudged.join(', ')}` : '') + (stalled > 0 ? `; ${stalled} gap(s) read during the harness's own stalls not judged` : ''));
  },
};
