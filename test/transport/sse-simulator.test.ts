import { describe, expect, test } from 'vitest';
import { findProfile } from '../../src/profile/index.js';
import { startRun } from '../../src/engine/run.js';
import { defaultSettings, type RunSettings } from '../../src/scenario/settings.js';
import { buildReport } from '../../src/verdict/report.js';
import { failing, statusOf } from '../helpers/run.js';

/**
 * The built-in SSE profile against the embedded simulator (as `livestream-bench
 * --profile gridwatch-sse` runs it): 100 clients pass every criterion that
 * applies, the rest skipped with the reason; dropped events, a resume that
 * skips one and a resume that ignores Last-Event-ID fail data_loss. Short
 * runs side by side: the chaos cut and return fit in the steady phase.
 */
const PROFILE = 'gridwatch-sse';

function judge(settings: Partial<RunSettings>) {
  const run = startRun(defaultSettings({ profile: PROFILE, clients: 20, rampMs: 500, durationMs: 4500, workers: 1, ...settings }));
  return run.result.then(buildReport);
}

describe('the built-in SSE profile', () => {
  test('is an SSE profile of its own words', () => {
    expect(findProfile(PROFILE)?.transport).toBe('sse');
    expect(findProfile(PROFILE)?.sse).toEqual({ channelsParam: 'gwLines', heartbeatMs: 2000, retryMs: 1000 });
  });

  test('100 clients pass; drop, resume=skip and resume=ignore fail data_loss', async () => {
    const [clean, dropped, skipping, ignoring] = await Promise.all([
      judge({ clients: 100 }),
      judge({ simulatorFaults: ['drop=5%'] }),
      judge({ simulatorFaults: ['resume=skip'] }),
      judge({ simulatorFaults: ['resume=ignore'] }),
    ]);
    expect(failing(clean)).toEqual([]);
    const skipped = clean.criteria.filter((c) => c.status === 'skipped');
    for (const c of skipped) expect(c.detail, c.id).not.toBe('');
    expect(skipped.map((c) => c.id)).toEqual(expect.arrayContaining(['handshake', 'subscriptions', 'error_handling']));
    const s = statusOf(clean);
    for (const id of ['connect', 'data_loss', 'reconnect', 'keepalive', 'cadence', 'latency', 'concurrency', 'message_types']) expect(s[id], id).toBe('pass');
    expect(clean.criteria.find((c) => c.id === 'subscriptions')?.detail).toContain('chosen in the URL');

    expect(failing(dropped)).toContain('data_loss');
    expect(failing(skipping)).toContain('data_loss');
    expect(failing(ignoring)).toContain('data_loss');
    // what is lost is only the resumes' doing: every cut client came back
    expect(statusOf(ignoring).reconnect).toBe('pass');
  }, 40_000);
});
