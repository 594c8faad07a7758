import { judgeProbeCriterion, PROBES_THRESHOLD } from '../probes.js';
import { skipped } from './format.js';
import type { Criterion, JudgeInput } from './types.js';

/**
 * `keepalive`: every probe of it passed (see engine/probe-steps.ts for the
 * probes). On a stream whose keepalive is a protocol line (SSE comments)
 * the load clients count them too: the detail adds their rate, so a run
 * without probes still shows the heartbeat, never judged on it.
 */
export const keepalive: Criterion = {
  id: 'keepalive',
  title: () => 'Connection health (ping/pong)',
  fixed: PROBES_THRESHOLD,
  judge(input) {
    const own = input.probes ? judgeProbeCriterion(input.probes, 'keepalive') : skipped('keepalive', PROBES_THRESHOLD, 'needs the protocol probe client, not part of this run');
    const load = loadHeartbeat(input);
    return load ? { ...own, detail: own.detail ? `${own.detail}; ${load}` : load } : own;
  },
};

/** `load clients: 212 comment lines, about one every 2.0 s per connection (sse.heartbeat 2s)`; undefined off SSE. */
export function loadHeartbeat({ metrics: m, profile }: JudgeInput): string | undefined {
  if (profile?.transport !== 'sse') return undefined;
  const declared = profile.sse?.heartbeatMs;
  const plan = declared === undefined ? 'the profile declares no heartbeat' : `sse.heartbeat ${declared / 1000} s`;
  const { total, steady } = m.heartbeats;
  if (total === 0) return m.streamMs > 0 ? `load clients: no comment line (${plan})` : undefined;
  const every = m.streamMs > 0 && steady > 0 ? `, about one every ${(m.streamMs / steady / 1000).toFixed(1)} s per connection in the steady phase` : '';
  return `load clients: ${total} comment line(s)${every} (${plan})`;
}
