import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { withSimulator, until } from './probe.js';

/**
 * Bad clients do not hurt good ones: the simulator closes what misbehaves,
 * counts it, keeps its memory bounded and never crashes (an unhandled error
 * event would fail the run).
 */

/** A bare TCP client that completes the upgrade by hand and then does as told. */
function rawUpgrade(url: string): Promise<Socket> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname);
    socket.on('error', () => {});
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve(socket);
      else reject(new Error(head.split('\r\n')[0]));
    };
    socket.on('data', onData);
    socket.write(
      `GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}


/** The simulator still serves: a fresh client gets its welcome and a pong. */
async function stillServes(sim: RunningSimulator, open: () => Promise<import('./probe.js').Probe>): Promise<void> {
  const p = await open();
  p.send({ type: 'ping' });
  await p.collect('pong', 1, 3000);
  expect(p.received[0].msg?.type).toBe('connection_established');
  expect((await fetch(`${sim.httpUrl}/q/health`)).status).toBe(200);
}

describe.concurrent('robustness', () => {
  test('a client that never reads is closed as a slow consumer and counted; the others keep streaming', async () => {
    await withSimulator({ faults: ['oversize=100%:8MiB'], slowConsumerBytes: 64 * 1024 }, async (sim, open) => {
      const good = await open();
      const stuck = await rawUpgrade(sim.url);
      stuck.pause(); // never reads again: the kernel buffers fill, then the server's
      await until(() => sim.stats().slowConsumersDropped === 1, 6000, 'a slow consumer');
      await until(() => sim.stats().connections === 1, 3000, 'the slow consumer to be cut');
      expect(sim.stats().disconnects).toEqual({ 'slow-consumer': 1 });
      const before = good.ofType('tps_update').length;
      // each tick is an 8 MiB frame to read and parse: on a loaded machine (a fresh clone once) 2 s was not enough
      await good.until(() => good.ofType('tps_update').length > before, 6000, 'one more tick for the good client');
      expect(good.ws.readyState).toBe(good.ws.OPEN);
      stuck.destroy();
    });
  });

  test('a flood of client messages closes that client with 1008; others are unaffected', async () => {
    await withSimulator({}, async (sim, open) => {
      const flooder = await open();
      for (let i = 0; i < 1000; i++) flooder.send({ type: 'ping' });
      expect((await flooder.closed).code).toBe(1008);
      // the burst allowance was answered before the cut
      expect(flooder.ofType('pong').length).toBeGreaterThanOrEqual(150);
      expect(flooder.ofType('pong').length).toBeLessThan(1000);
      expect(sim.stats().disconnects).toEqual({ flood: 1 });
      await stillServes(sim, open);
    });
  });

  test('an oversized client frame closes that connection with 1009', async () => {
    await withSimulator({}, async (sim, open) => {
      const big = await open();
      big.send('x'.repeat(100 * 1024));
      expect((await big.closed).code).toBe(1009);
      await stillServes(sim, open);
    });
  });

  test('garbage bytes after the upgrade close that connection; the server carries on', async () => {
    await withSimulator({}, async (sim, open) => {
      const raw = await rawUpgrade(sim.url);
      const closed = new Promise<void>((resolve) => raw.on('close', () => resolve()));
      // random, but never a well-formed frame header: a random header is one about 1 time in 100 (masked,
      // a data opcode, a length past the 64 bytes), and the server then rightly waits for the rest (CI once
      // timed out so). RSV2 and RSV3 set is a protocol error with or without permessage-deflate.
      const garbage = randomBytes(64);
      garbage[0] |= 0x30;
      raw.write(garbage);
      raw.resume();
      await closed;
      await until(() => sim.stats().connections === 0, 2000, 'the garbage connection to go');
      await stillServes(sim, open);
    });
  });

  test('a burst of short-lived connections leaves nothing behind', async () => {
    await withSimulator({}, async (sim, open) => {
      const probes = await Promise.all(Array.from({ length: 100 }, () => open()));
      for (const p of probes) p.close();
      await Promise.all(probes.map((p) => p.closed));
      await until(() => sim.stats().connections === 0, 2000, 'every connection to close');
      expect(sim.stats().connectionsTotal).toBe(100);
      await stillServes(sim, open);
    });
  });

  test('close() closes open clients with 1001 and frees the port', async () => {
    const { startSimulator } = await import('../../src/simulator/index.js');
    const sim = await startSimulator({ port: 0 });
    const { Probe } = await import('./probe.js');
    const p = await Probe.open(sim.url);
    await sim.close();
    expect((await p.closed).code).toBe(1001);
    const again = await startSimulator({ port: sim.port });
    expect(again.port).toBe(sim.port);
    await again.close();
  });

  test('bad options are usage errors', async () => {
    const { startSimulator } = await import('../../src/simulator/index.js');
    await expect(startSimulator({ port: 70000 })).rejects.toMatchObject({ code: 'LSB_USAGE' });
    await expect(startSimulator({ port: 0, faults: ['drop=x'] })).rejects.toMatchObject({ code: 'LSB_USAGE' });
    await expect(startSimulator({ port: 0, slowConsumerBytes: -1 })).rejects.toMatchObject({ code: 'LSB_USAGE' });
  });
});
