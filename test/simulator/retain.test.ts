import { describe, expect, test } from 'vitest';
import { withSimulator } from './probe.js';

/** `retain=<size>`: memory kept for every connection ever opened, never freed while the simulator runs. */
describe('retain fault', () => {
  test('keeps the size for each connection opened under it, closed or not', async () => {
    await withSimulator({ faults: ['retain=200KB'] }, async (sim, open) => {
      const probes = await Promise.all([open(), open(), open()]);
      for (const p of probes) p.close();
      await Promise.all(probes.map((p) => p.closed));
      expect(sim.stats().connectionsTotal).toBe(3);
      // all three closed: what they left stays
      expect(sim.stats().retainedBytes).toBe(3 * 200 * 1024);
      await open();
      expect(sim.stats().retainedBytes).toBe(4 * 200 * 1024);
    });
  });

  test('keeps nothing without the fault', async () => {
    await withSimulator({}, async (sim, open) => {
      const p = await open();
      p.close();
      await p.closed;
      expect(sim.stats().retainedBytes).toBe(0);
    });
  });
});
