import { expect, test } from 'vitest';
import { readTicksSkipped } from '../../src/engine/embedded-target.js';
import { startSimulator } from '../../src/simulator/index.js';
import { Probe } from './probe.js';

/**
 * An overloaded simulator (its event loop blocked past whole periods) sends
 * the latest tick instead of a burst of stale ones. The ticks it never sent
 * are counted, in stats and /metrics, so that loss a harness reports can be
 * traced to the simulator's own overload rather than to the target.
 */
test('ticks skipped while the event loop was blocked are counted in stats and /metrics', async () => {
  const sim = await startSimulator({ port: 0, seed: 3 });
  try {
    const p = await Probe.open(sim.url);
    const [first] = await p.collect('tps_update', 1, 3000);
    expect(sim.stats().ticksSkipped.tps_update ?? 0).toBe(0);
    expect(await readTicksSkipped(`${sim.httpUrl}/metrics`)).toBe(0);
    // block this process, the simulator's, for over three 1 s periods after a tick
    const until = first.msg!.timestamp + 3400;
    while (Date.now() < until) {
      // busy: no timer can fire
    }
    const after = await p.collect('tps_update', 3, 4000);
    const stamps = after.map((r) => r.msg!.timestamp);
    const missing = (stamps[2] - stamps[0]) / 1000 - 2;
    expect(missing).toBeGreaterThanOrEqual(1);
    expect(sim.stats().ticksSkipped.tps_update).toBe(missing);
    const text = await (await fetch(`${sim.httpUrl}/metrics`)).text();
    expect(text).toMatch(new RegExp(`^livestream_sim_ticks_skipped_total\\{type="tps_update"\\} ${missing}$`, 'm'));
    // what the harness reads from an embedded simulator at the end of a run
    expect(await readTicksSkipped(`${sim.httpUrl}/metrics`)).toBe(missing);
    p.close();
  } finally {
    await sim.close();
  }
});
