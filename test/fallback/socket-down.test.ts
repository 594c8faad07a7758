import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FallbackPoller } from '../../src/engine/fallback-poller.js';
import { runProbes } from '../../src/engine/probe-client.js';
import { aurigraphV11 } from '../helpers/profiles.js';
import { startSimulator } from '../../src/simulator/index.js';
import { judgeFallback } from '../../src/verdict/criteria/fallback.js';
import { judgeProbes } from '../../src/verdict/probes.js';
import { DEFAULT_THRESHOLDS } from '../../src/verdict/thresholds.js';

// Every channel taken as auto-started: the probes skip the (slow) subscription group.
const quick = { ...aurigraphV11, channels: aurigraphV11.channels.map((c) => ({ ...c, autoStart: true })) };

describe('socket-down: polling carries the data while upgrades are refused', () => {
  it('fallback polls stay ok through the fault; the socket is back once it is lifted', async () => {
    const sim = await startSimulator({ port: 0, faults: ['socket-down'] });
    const poller = new FallbackPoller(`${sim.httpUrl}${sim.profile.fallbackPath}`, 100);
    try {
      poller.start();
      const down = await runProbes(sim.url, {}, quick);
      expect(down.connectError).toMatch(/HTTP 503/);
      expect(judgeProbes(down).keepalive.status).toBe('fail');

      sim.setFaults([]);
      const up = await runProbes(sim.url, {}, quick);
      expect(up.connections).toBe(1);
      expect(judgeProbes(up).keepalive.status).toBe('pass');
      expect(judgeProbes(up).error_handling.status).toBe('pass');

      // and a few more polls after it
      for (let i = 0; i < 3; i++) await once(poller, 'poll');
      const stats = poller.stop();
      expect(stats.polls).toBeGreaterThanOrEqual(3);
      expect(stats.ok).toBe(stats.polls);
      // the polls spanned the fault
      expect(stats.points[0].t).toBeLessThan(down.endedAt);
      expect(stats.points.at(-1)!.t).toBeGreaterThan(up.startedAt);
      expect(judgeFallback(stats, DEFAULT_THRESHOLDS).status).toBe('pass');
    } finally {
      poller.stop();
      await sim.close();
    }
  });
});
