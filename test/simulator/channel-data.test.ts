import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { aurigraphV11, type ChannelSpec } from '../../src/profile/index.js';
import { channelDataFor, dayOrigin } from '../../src/simulator/channel-data.js';
import { keyedHash, stringKey } from '../../src/simulator/prng.js';

/** The tick data of one channel, built as the simulator builds it. */
function series(channel: string, seed = 0) {
  const spec = aurigraphV11.channels.find((c) => c.channel === channel) as ChannelSpec;
  return channelDataFor(aurigraphV11, {
    channel: spec,
    noise: keyedHash(seed, stringKey(spec.channel)),
    originOf: dayOrigin(spec.intervalMs),
  });
}

const NOW_INDEX_1S = Math.floor(Date.UTC(2026, 5, 1, 12) / 1000);
const NOW_INDEX_2S = Math.floor(Date.UTC(2026, 5, 1, 12) / 2000);

describe('tick data', () => {
  test('every channel payload matches the profile schema over many ticks', () => {
    const ajv = new Ajv({ strict: false });
    for (const spec of aurigraphV11.channels) {
      const validate = ajv.compile(spec.payloadSchema);
      const data = series(spec.channel);
      const start = Math.floor(Date.UTC(2026, 5, 1, 12) / spec.intervalMs);
      for (let i = start; i < start + 500; i++) {
        const payload = data.payloadAt(i);
        expect(validate(payload), `${spec.channel} ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
  });

  test('TPS wanders within 776000-826000; the peak is the running max, the average in between; latency 40-60', () => {
    const data = series('tps_updates');
    let seenMax = 0;
    let lastPeak = 0;
    const values = new Set<number>();
    // from the start of a UTC day, where running figures begin
    const dayStart = dayOrigin(1000)(NOW_INDEX_1S);
    for (let i = dayStart; i < dayStart + 2000; i++) {
      const p = data.payloadAt(i) as Record<string, number>;
      seenMax = Math.max(seenMax, p.currentTPS);
      values.add(p.currentTPS);
      expect(p.currentTPS).toBeGreaterThanOrEqual(776_000);
      expect(p.currentTPS).toBeLessThanOrEqual(826_000);
      expect(p.peakTPS).toBe(seenMax);
      expect(p.peakTPS).toBeGreaterThanOrEqual(lastPeak);
      expect(p.averageTPS).toBeLessThanOrEqual(p.peakTPS);
      expect(p.averageTPS).toBeGreaterThanOrEqual(776_000);
      expect(p.latency).toBeGreaterThanOrEqual(40);
      expect(p.latency).toBeLessThanOrEqual(60);
      lastPeak = p.peakTPS;
    }
    expect(values.size).toBeGreaterThan(1000); // it lives
  });

  test('blockHeight rises by exactly one per block tick', () => {
    const data = series('block_updates');
    const heights = Array.from({ length: 50 }, (_, k) => data.payloadAt(NOW_INDEX_2S + k).blockHeight as number);
    heights.slice(1).forEach((h, k) => expect(h - heights[k]).toBe(1));
  });

  test('validator counts add up; nodes never exceed their total', () => {
    const v = series('validator_metrics');
    const n = series('network_status');
    for (let i = 0; i < 300; i++) {
      const p = v.payloadAt(NOW_INDEX_2S + i) as Record<string, number>;
      expect(p.activeValidators + p.inactiveValidators + p.jailedValidators).toBe(p.totalValidators);
      const q = n.payloadAt(NOW_INDEX_2S + i) as Record<string, number>;
      expect(q.activeNodes).toBeLessThanOrEqual(q.totalNodes);
    }
  });

  test('a pure function of (seed, channel, index): fresh instances agree, another seed differs', () => {
    const a = series('tps_updates', 7);
    const b = series('tps_updates', 7);
    const c = series('tps_updates', 8);
    // b asked out of order still agrees with a
    expect(b.payloadAt(NOW_INDEX_1S + 40)).toEqual(a.payloadAt(NOW_INDEX_1S + 40));
    expect(b.payloadAt(NOW_INDEX_1S + 3)).toEqual(a.payloadAt(NOW_INDEX_1S + 3));
    expect(c.payloadAt(NOW_INDEX_1S + 3)).not.toEqual(a.payloadAt(NOW_INDEX_1S + 3));
  });
});
