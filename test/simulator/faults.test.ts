import { describe, expect, test } from 'vitest';
import { aurigraphV11 } from '../helpers/profiles.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { gaps, lateness, shareWithin, upgradeStatus, withSimulator, type Received } from './probe.js';

/**
 * Each fault's effect on the wire. Chances are set to 100% where a test must
 * see the effect within a few ticks; the rates themselves are unit-tested
 * with the dice in fault-spec.test.ts.
 */

const isJson = (r: Received) => r.msg !== undefined;

/** Resolves once `cond` holds, checked every 10 ms. */
function until(cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (!cond()) return;
      clearInterval(poll);
      resolve();
    }, 10);
  });
}

/** Resolves once the simulator has broadcast `n` more ticks of `type`. */
function ticksPassed(sim: RunningSimulator, type: string, n: number): Promise<void> {
  const count = () => sim.stats().ticksByType[type] ?? 0;
  const target = count() + n;
  return until(() => count() >= target);
}

describe.concurrent('faults on the wire', () => {
  test('drop=100%: channel messages vanish, replies still come', async () => {
    await withSimulator({ faults: ['drop=100%'] }, async (sim, open) => {
      const p = await open();
      p.send({ type: 'ping' });
      await p.collect('pong', 1, 3000);
      // two tps ticks went out (counted when their write loop ran) ...
      await ticksPassed(sim, 'tps_update', 2);
      // ... and a pong written after them has arrived
      p.send({ type: 'ping' });
      await p.collect('pong', 2, 3000);
      expect(p.ofType('tps_update')).toEqual([]);
      expect(p.received[0].msg?.type).toBe('connection_established');
      expect(sim.stats().messagesSent.tps_update ?? 0).toBe(0);
    });
  });

  test('latency=300ms: stamped on the tick, received 300 ms later', async () => {
    await withSimulator({ faults: ['latency=300ms'] }, async (_sim, open) => {
      const p = await open();
      const ticks = await p.collect('tps_update', 2, 3500);
      for (const r of ticks) {
        expect(r.msg!.timestamp % 1000).toBeLessThan(250); // stamped on its tick
        expect(r.at - r.msg!.timestamp).toBeGreaterThanOrEqual(299);
        expect(r.at - r.msg!.timestamp).toBeLessThan(550);
      }
    });
  });

  // alone, not beside the file's other simulators: it judges 500 ms slots within 50 ms
  test.sequential('drift=-50%: ticks come every 500 ms, and block heights still rise by one', async () => {
    await withSimulator({ faults: ['drift=-50%'] }, async (_sim, open) => {
      const p = await open();
      p.subscribe('block_updates');
      // the armed tick keeps its time; the period changes after it
      const ticks = await p.collect('tps_update', 7, 4500);
      // each in its 500 ms slot (a wrong period would drift out of them)
      const late = lateness(ticks.slice(1).map((r) => r.at), 500);
      expect(shareWithin(late, 50), `lateness ${late.map(Math.round)}`).toBeGreaterThanOrEqual(0.8);
      const blocks = await p.collect('block_update', 3, 3000);
      gaps(blocks.map((r) => r.msg!.payload.blockHeight as number)).forEach((d) => expect(d).toBe(1));
    });
  });

  test('stall=block_updates: that channel falls silent, the others keep going', async () => {
    await withSimulator({ faults: ['stall=block_updates'] }, async (_sim, open) => {
      const p = await open();
      p.subscribe('block_updates');
      await p.collect('tps_update', 3, 4000); // spans at least one block tick
      expect(p.ofType('block_update')).toEqual([]);
    });
  });

  test('stall=tps_updates@1500ms: streams, then stops 1.5 s after it was set', async () => {
    await withSimulator({}, async (sim, open) => {
      const p = await open();
      sim.setFaults(['stall=tps_updates@1500ms']);
      const setAt = Date.now();
      p.subscribe('block_updates');
      // block ticks every 2 s: wait for two of them, by then > 2 s have passed
      await p.collect('block_update', 2, 5000);
      const tps = p.ofType('tps_update');
      expect(tps.length).toBeGreaterThanOrEqual(1);
      for (const r of tps) expect(r.msg!.timestamp).toBeLessThan(setAt + 1500 + 20);
      expect(p.ofType('block_update')[1].msg!.timestamp - setAt).toBeGreaterThan(1500);
    });
  });

  test('disconnect=800ms:4000 closes each connection at that age with the code', async () => {
    await withSimulator({ faults: ['disconnect=800ms:4000'] }, async (sim, open) => {
      const opened = Date.now();
      const p = await open();
      const closed = await p.closed;
      expect(closed.code).toBe(4000);
      expect(Date.now() - opened).toBeGreaterThanOrEqual(780);
      expect(Date.now() - opened).toBeLessThan(1500);
      expect(sim.stats().disconnects).toEqual({ fault: 1 });
    });
  });

  test('disconnect=100%:4001 cuts every connection within the second', async () => {
    await withSimulator({ faults: ['disconnect=100%:4001'] }, async (_sim, open) => {
      const [a, b] = await Promise.all([open(), open()]);
      const [ca, cb] = await Promise.all([a.closed, b.closed]);
      expect([ca.code, cb.code]).toEqual([4001, 4001]);
    });
  });

  test('socket-down refuses upgrades with 503 and closes open sockets 1001; REST stays up', async () => {
    await withSimulator({}, async (sim, open) => {
      const p = await open();
      sim.setFaults(['socket-down']);
      expect((await p.closed).code).toBe(1001);
      expect(await upgradeStatus(sim.url)).toBe(503);
      const snap = await fetch(`${sim.httpUrl}${aurigraphV11.fallbackPath}`);
      expect(snap.status).toBe(200);
      sim.setFaults([]);
      expect(await upgradeStatus(sim.url)).toBe(101);
    });
  });

  test('rest-down: the snapshot answers 503 while the socket keeps streaming; lifted, 200 again', async () => {
    await withSimulator({}, async (sim, open) => {
      const snapshotUrl = `${sim.httpUrl}${aurigraphV11.fallbackPath}`;
      const p = await open();
      await sim.setFaults(['rest-down']);
      const down = await fetch(snapshotUrl);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(await down.json()).toMatchObject({ error: expect.stringContaining('rest-down') });
      const before = p.ofType('tps_update').length;
      await p.until(() => p.ofType('tps_update').length >= before + 2, 3000, 'two ticks while REST is down');
      expect(p.ws.readyState).toBe(p.ws.OPEN);
      await sim.setFaults([]);
      expect((await fetch(snapshotUrl)).status).toBe(200);
    });
  });

  test('rest-stale: the snapshot serves the data and timestamp frozen when the fault was set', async () => {
    await withSimulator({}, async (sim, open) => {
      const snapshotUrl = `${sim.httpUrl}${aurigraphV11.fallbackPath}`;
      const p = await open();
      await sim.setFaults(['rest-stale']);
      const frozen = await (await fetch(snapshotUrl)).text();
      // two ticks later the stream has moved on, the snapshot has not
      const before = p.ofType('tps_update').length;
      await p.until(() => p.ofType('tps_update').length >= before + 2, 3000, 'two ticks');
      const again = await fetch(snapshotUrl);
      expect(again.status).toBe(200);
      expect(await again.text()).toBe(frozen);
      const body = JSON.parse(frozen) as { timestamp: number; tps_updates: unknown };
      expect(Date.now() - body.timestamp).toBeGreaterThan(1000);
      expect(body.tps_updates).not.toEqual(p.ofType('tps_update').at(-1)!.msg!.payload);
      await sim.setFaults([]);
      const live = (await (await fetch(snapshotUrl)).json()) as { timestamp: number };
      expect(Math.abs(Date.now() - live.timestamp)).toBeLessThan(500);
    });
  });

  test('max-connections=2: the third upgrade gets 503 until one closes', async () => {
    await withSimulator({ faults: ['max-connections=2'] }, async (sim, open) => {
      const a = await open();
      await open();
      expect(await upgradeStatus(sim.url)).toBe(503);
      a.close();
      await a.closed;
      await until(() => sim.stats().connections < 2);
      expect(await upgradeStatus(sim.url)).toBe(101);
      expect(sim.stats().refusedUpgrades).toEqual({ 'max-connections': 1 });
    });
  });

  test('malformed=100%: channel frames are invalid JSON text, replies are not', async () => {
    await withSimulator({ faults: ['malformed=100%'] }, async (_sim, open) => {
      const p = await open();
      await p.until(() => p.received.filter((r) => !isJson(r)).length >= 2, 3000, 'two malformed frames');
      const bad = p.received.filter((r) => !isJson(r));
      for (const r of bad) {
        expect(() => JSON.parse(r.raw)).toThrow();
        expect(r.raw.startsWith('{"type":"tps_update"')).toBe(true);
      }
      p.send({ type: 'ping' });
      await p.collect('pong', 1, 3000);
      expect(p.received[0].msg?.type).toBe('connection_established');
    });
  });

  test('duplicate=100%: every channel message arrives twice, byte for byte', async () => {
    await withSimulator({ faults: ['duplicate=100%'] }, async (_sim, open) => {
      const p = await open();
      const ticks = await p.collect('tps_update', 4, 3000);
      expect(ticks[0].raw).toBe(ticks[1].raw);
      expect(ticks[2].raw).toBe(ticks[3].raw);
      expect(ticks[1].raw).not.toBe(ticks[2].raw);
      expect(p.ofType('connection_established')).toHaveLength(1);
    });
  });

  test('oversize=100%:64KiB: channel messages are valid JSON padded to 64 KiB', async () => {
    await withSimulator({ faults: ['oversize=100%:64KiB'] }, async (_sim, open) => {
      const p = await open();
      const [tick] = await p.collect('tps_update', 1, 2000);
      expect(tick.raw.length).toBeGreaterThanOrEqual(64 * 1024 - 16);
      expect(tick.raw.length).toBeLessThanOrEqual(64 * 1024 + 16);
      expect(tick.msg!.payload).toMatchObject({ currentTPS: expect.any(Number), padding: expect.any(String) });
    });
  });

  test('faults combine: latency + duplicate + a stalled channel', async () => {
    await withSimulator({ faults: ['latency=200ms', 'duplicate=100%', 'stall=block_updates'] }, async (sim, open) => {
      const p = await open();
      p.subscribe('block_updates');
      expect(sim.faults()).toEqual(['latency=200ms', 'stall=block_updates', 'duplicate=100%']);
      const ticks = await p.collect('tps_update', 6, 5000); // 3 ticks, each twice, spanning a block tick
      for (let i = 0; i < 6; i += 2) expect(ticks[i].raw).toBe(ticks[i + 1].raw);
      for (const r of ticks) expect(r.at - r.msg!.timestamp).toBeGreaterThanOrEqual(199);
      expect(p.ofType('block_update')).toEqual([]);
    });
  });
});
