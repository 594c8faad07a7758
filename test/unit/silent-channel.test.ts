import { describe, expect, it } from 'vitest';
import { ChannelStream } from '../../src/checks/channel-stream.js';
import { createCheckContext } from '../../src/checks/context.js';
import { Recorder } from '../../src/metrics/recorder.js';
import { cadence } from '../../src/verdict/criteria/cadence.js';
import { summarizeMetrics } from '../../src/verdict/summary.js';
import { DEFAULT_THRESHOLDS } from '../../src/verdict/thresholds.js';
import { aurigraphV11 } from '../helpers/profiles.js';

/**
 * A subscribed channel that delivers nothing: silent for over two of its
 * intervals it is off cadence, not "too short to judge".
 */
const validators = aurigraphV11.channels.find((c) => c.channel === 'validator_metrics')!; // every 5 s
const tps = aurigraphV11.channels.find((c) => c.channel === 'tps_updates')!;

function silentStream(openMs: number) {
  const recorder = new Recorder();
  const ctx = createCheckContext(aurigraphV11, recorder);
  ctx.steadyEndMs = 1000 + openMs;
  const s = new ChannelStream(ctx, validators, 0);
  s.start(1000);
  s.finish(1000 + openMs);
  return recorder.snapshot();
}

describe('a channel that delivers nothing', () => {
  it('is off cadence once silent for over two intervals', () => {
    expect(silentStream(2 * validators.intervalMs + 500).counters['cadence_off:validator_metrics']).toBe(1);
  });

  it('is not judged off within two intervals: it may not have had its turn yet', () => {
    expect(silentStream(2 * validators.intervalMs - 500).counters['cadence_off:validator_metrics']).toBeUndefined();
  });

  it('fails the cadence criterion, naming the silent channel, beside a channel that streams on time', () => {
    const r = new Recorder();
    const ctx = createCheckContext(aurigraphV11, r);
    ctx.steadyEndMs = 13_000;
    const quiet = new ChannelStream(ctx, validators, 0);
    const busy = new ChannelStream(ctx, tps, 0);
    quiet.start(1000);
    busy.start(1000);
    for (let t = 2000; t <= 13_000; t += 1000) busy.onMessage(t + 5, { type: tps.messageType, json: true, utf8: true, payload: {}, timestamp: t } as never);
    quiet.finish(13_000);
    busy.finish(13_000);
    const metrics = summarizeMetrics(r.snapshot(), aurigraphV11, ['tps_updates', 'validator_metrics']);
    const c = cadence.judge({ metrics, thresholds: DEFAULT_THRESHOLDS, planned: 1, minClients: 1, steadyMs: 12_000, connectTimeoutMs: 10_000 });
    expect(c.status).toBe('fail');
    expect(c.observed).toBe('1/2 channel streams off');
    expect(c.detail).toContain('validator_metrics silent (0 received');
    expect(c.detail).not.toContain('too short to judge');
  });
});
