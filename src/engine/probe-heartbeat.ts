import type { ProbeResult } from '../metrics/probe-results.js';
import type { Step } from './probe-actions.js';
import { heartbeatSlackMs } from '../profile/heartbeat.js';
import { wallNow } from './time.js';

/**
 * `heartbeat` (keepalive, SSE): the stream sends a comment line at least
 * as often as its profile's `sse.heartbeat` says. The probe waits for two
 * comments in a row and judges the gap between them, with the slack the
 * profile allows (profile/heartbeat.ts).
 *   heartbeat 2 s: comments 2004 ms apart -> pass; none within 2.5 s -> fail
 */

export const heartbeat: Step = async (c, { profile }) => {
  const periodMs = profile.sse?.heartbeatMs ?? 0;
  const bound = periodMs + heartbeatSlackMs(periodMs);
  const at = wallNow();
  const from = c.keepalives.length;
  const base = { name: 'heartbeat', criterion: 'keepalive', sent: '(nothing: SSE)', at } as const;
  // the first comment may have come before the probe began: the wait for it is bounded by one period too
  const first = await c.waitUntil(() => c.keepalives[from], bound);
  if (first === undefined) {
    const result: ProbeResult = { ...base, pass: false, received: '(no comment line)', elapsedMs: wallNow() - at, detail: `no comment line within ${Math.round(bound)} ms (heartbeat ${periodMs} ms)${c.closed ? '; the stream closed' : ''}` };
    return result;
  }
  const second = await c.waitUntil(() => c.keepalives[from + 1], bound);
  const gap = second === undefined ? undefined : second - first;
  const pass = gap !== undefined && gap <= bound;
  return {
    ...base,
    pass,
    received: gap === undefined ? 'one comment line' : 'two comment lines',
    elapsedMs: wallNow() - at,
    detail: gap === undefined ? `no second comment line within ${Math.round(bound)} ms of the first (heartbeat ${periodMs} ms)` : `comment lines ${Math.round(gap)} ms apart (heartbeat ${periodMs} ms)`,
  };
};
