import { describe, expect, test } from 'vitest';
import { LEGACY_RETAINED_BYTES, LEGACY_SEND_BYTES, LEGACY_THREAD_BYTES } from '../../src/simulator/legacy.js';
import { gaps, Probe, withSimulator } from './probe.js';

/** `--fault legacy` reproduces every behaviour protocol.md lists for the Phase 3A server. */

describe.concurrent('legacy mode', () => {
  test('a second subscribe starts a second stream: every block message twice', async () => {
    await withSimulator({ faults: ['legacy'] }, async (_sim, open) => {
      const p = await open();
      p.subscribe('block_updates', 'block_updates');
      expect((await p.collect('subscription_confirmed', 2, 3000)).length).toBe(2);
      const blocks = await p.collect('block_update', 4, 5000);
      // two streams started together: messages come in pairs, a period apart (one stream: a period between each;
      // under half a period leaves room for this shared event loop stalling on a busy machine)
      expect(blocks[1].at - blocks[0].at).toBeLessThan(1000);
      expect(blocks[3].at - blocks[2].at).toBeLessThan(1000);
      expect(blocks[2].at - blocks[0].at).toBeGreaterThan(1950);
    });
  });

  test('unsubscribe is accepted and the channel keeps streaming', async () => {
    await withSimulator({ faults: ['legacy'] }, async (_sim, open) => {
      const p = await open();
      p.subscribe('block_updates');
      await p.collect('subscription_confirmed', 1, 3000);
      p.send({ type: 'unsubscribe', channel: 'block_updates' });
      p.send({ type: 'unsubscribe', channel: 'tps_updates' });
      p.send({ type: 'ping' });
      const [pong] = await p.collect('pong', 1, 3000);
      await p.until(
        () => p.ofType('block_update').some((r) => r.at > pong.at) && p.ofType('tps_update').some((r) => r.at > pong.at),
        3000,
        'block and tps after unsubscribing',
      );
      expect(p.ofType('error')).toEqual([]);
    });
  });

  test('values are drawn per client; blockHeight is stuck at 12345', async () => {
    await withSimulator({ faults: ['legacy'] }, async (_sim, open) => {
      const [a, b] = await Promise.all([open(), open()]);
      a.subscribe('block_updates');
      b.subscribe('block_updates');
      await Promise.all([a.collect('block_update', 2, 5000), b.collect('block_update', 2, 5000)]);
      const tps = (p: Probe) => p.ofType('tps_update').map((r) => r.msg!.payload.currentTPS);
      // the same moment (within a tick), different values
      expect(tps(a)[0]).not.toBe(tps(b)[0]);
      expect(tps(a)[1]).not.toBe(tps(b)[1]);
      for (const p of [a, b]) {
        for (const r of p.ofType('block_update')) expect(r.msg!.payload.blockHeight).toBe(12345);
        for (const t of tps(p)) {
          expect(t).toBeGreaterThanOrEqual(776_000);
          expect(t).toBeLessThanOrEqual(826_000);
        }
      }
    });
  });

  test('per-client timers that sleep between sends: each client on its own phase, and cadence drifts late', async () => {
    await withSimulator({ faults: ['legacy'] }, async (_sim, open) => {
      const a = await open();
      const [firstA] = await a.collect('tps_update', 1, 2000);
      const b = await open(); // opens at some point of a's period
      const ticksA = await a.collect('tps_update', 4, 5000);
      const [firstB] = await b.collect('tps_update', 1, 2000);
      // Server clock: each client's first tick is one sleep plus the work
      // after its own welcome, not on a shared wall-clock grid.
      for (const [p, first] of [[a, firstA], [b, firstB]] as const) {
        const since = first.msg!.timestamp - p.received[0].msg!.timestamp;
        expect(since).toBeGreaterThanOrEqual(1002);
        expect(since).toBeLessThan(1200);
      }
      // every period is the sleep plus the work: never short, late on the whole
      const g = gaps(ticksA.map((r) => r.msg!.timestamp));
      for (const gap of g) expect(gap).toBeGreaterThanOrEqual(1002);
      expect(g.reduce((sum, x) => sum + x, 0)).toBeGreaterThanOrEqual(3 * 1000 + 6);
    });
  });

  test('the registry keeps a record and thread state for every connection ever made, and grows with every send', async () => {
    await withSimulator({ faults: ['legacy'] }, async (sim, open) => {
      const probes = await Promise.all([open(), open(), open()]);
      for (const p of probes) p.close();
      await Promise.all(probes.map((p) => p.closed));
      const live = await open();
      live.subscribe('block_updates');
      await live.collect('block_update', 1, 3000);
      await live.collect('tps_update', 2, 3000);
      const stats = sim.stats();
      expect(stats.connectionsTotal).toBe(4);
      expect(stats.legacyRetained).toBe(4);
      // 4 session records, 5 channel threads (tps on each, block on the live one), 16 KiB per send
      const sends = (stats.messagesSent.tps_update ?? 0) + (stats.messagesSent.block_update ?? 0);
      expect(sends).toBeGreaterThanOrEqual(3);
      expect(stats.retainedBytes).toBe(4 * LEGACY_RETAINED_BYTES + 5 * LEGACY_THREAD_BYTES + sends * LEGACY_SEND_BYTES);
      // and it keeps growing while the client streams
      const before = stats.retainedBytes;
      await live.collect('tps_update', 3, 2500);
      expect(sim.stats().retainedBytes).toBeGreaterThanOrEqual(before + LEGACY_SEND_BYTES);
    });
    // a broadcast simulator keeps nothing
    await withSimulator({}, async (sim, open) => {
      const p = await open();
      await p.collect('tps_update', 1, 2000);
      p.close();
      await p.closed;
      expect(sim.stats().legacyRetained).toBe(0);
      expect(sim.stats().retainedBytes).toBe(0);
    });
  });

  test('legacy set at run time applies to new connections only', async () => {
    await withSimulator({}, async (sim, open) => {
      const before = await open();
      sim.setFaults(['legacy']);
      const after = await open();
      before.subscribe('block_updates');
      after.subscribe('block_updates');
      await Promise.all([before.collect('block_update', 1, 3000), after.collect('block_update', 1, 3000)]);
      expect(before.ofType('block_update')[0].msg!.payload.blockHeight).not.toBe(12345);
      expect(after.ofType('block_update')[0].msg!.payload.blockHeight).toBe(12345);
    });
  });
});
