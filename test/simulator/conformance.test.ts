import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { aurigraphV11 } from '../helpers/profiles.js';
import { startSimulator } from '../../src/simulator/index.js';
import { Probe, withSimulator, type Received } from './probe.js';

/**
 * The simulator speaks protocol.md exactly, checked with a raw ws client.
 * Timing itself is judged in cadence.test.ts, a file of its own.
 */

const ajv = new Ajv({ strict: false });
const channels = aurigraphV11.channels;
const validators = Object.fromEntries([
  ...channels.map((c) => [c.messageType, ajv.compile(c.payloadSchema)] as const),
  ...Object.entries(aurigraphV11.replySchemas).map(([type, schema]) => [type, ajv.compile(schema)] as const),
]);

function expectEnvelope(r: Received): void {
  expect(r.msg, r.raw).toBeDefined();
  const msg = r.msg!;
  expect(Object.keys(msg)).toEqual(['type', 'payload', 'timestamp']);
  expect(Number.isInteger(msg.timestamp)).toBe(true);
  // stamped when built: before it arrived, and not a tick before (the fastest channel ticks each second);
  // half a second leaves room for this process's own event loop, which the simulator shares, stalling on a busy machine
  expect(msg.timestamp).toBeLessThanOrEqual(r.at + 1);
  expect(r.at - msg.timestamp).toBeLessThan(500);
  const validate = validators[msg.type];
  expect(validate, `unexpected type ${msg.type}`).toBeDefined();
  expect(validate(msg.payload), `${msg.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

describe.concurrent('conformance', () => {
  test('welcome first, then tps_update by itself on whole seconds; every field typed', async () => {
    await withSimulator({}, async (sim, open) => {
      const p = await open();
      await p.collect('tps_update', 2, 3000);
      const [welcome, ...rest] = p.received;
      expect(welcome.msg?.type).toBe('connection_established');
      expect(welcome.msg?.payload.connectionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(welcome.msg?.payload.timestamp).toBe(welcome.msg?.timestamp);
      // nothing but tps before any subscribe
      expect(rest.every((r) => r.msg?.type === 'tps_update')).toBe(true);
      for (const r of p.received) expectEnvelope(r);
      // a broadcast server ticks on the wall-clock grid
      // (cadence.test.ts holds this to 50 ms; here only the phase is checked)
      for (const r of p.ofType('tps_update')) expect(r.msg!.timestamp % 1000).toBeLessThan(250);
      // first tick within one interval of the welcome: a global phase
      expect(p.ofType('tps_update')[0].msg!.timestamp - welcome.msg!.timestamp).toBeLessThan(1000 + 250);
      expect(sim.stats().connections).toBe(1);
    });
  });

  test('unsubscribe stops a channel (no reply), a repeated subscribe does not double it', async () => {
    await withSimulator({}, async (_sim, open) => {
      const p = await open();
      const witness = await open();
      p.subscribe('block_updates', 'block_updates');
      witness.subscribe('block_updates');
      await p.collect('block_update', 2, 4500);
      const blocks = p.ofType('block_update');
      expect(new Set(blocks.map((r) => r.msg!.timestamp)).size).toBe(blocks.length);
      expect(p.ofType('subscription_confirmed')).toHaveLength(2);

      p.send({ type: 'unsubscribe', channel: 'block_updates' });
      p.send({ type: 'unsubscribe', channel: 'tps_updates' });
      p.send({ type: 'ping' });
      await p.collect('pong', 1, 3000);
      const cut = p.ofType('pong')[0].msg!.timestamp;
      // The witness shows the next block and tps ticks went out; a pong on p
      // after that proves anything sent to p for those ticks has arrived.
      const after = (r: Received) => r.msg!.timestamp > cut;
      await witness.until(() => witness.ofType('block_update').some(after) && witness.ofType('tps_update').some(after), 3000, 'later ticks');
      p.send({ type: 'ping' });
      await p.collect('pong', 2, 3000);
      expect(p.ofType('block_update').filter(after)).toEqual([]);
      expect(p.ofType('tps_update').filter(after)).toEqual([]);
      // nothing but the two pongs answered the unsubscribes and pings
      expect(p.received.filter((r) => r.msg!.timestamp >= cut).map((r) => r.msg!.type)).toEqual(['pong', 'pong']);
    });
  });

  test('ping -> pong with the server clock; bad messages -> error and the connection stays open', async () => {
    await withSimulator({}, async (_sim, open) => {
      const p = await open();
      p.send({ type: 'ping' });
      p.send('not json');
      p.send({ type: 'subscribe' });
      p.send({ type: 'subscribe', channel: 'no_such_channel' });
      p.send({ type: 'launch' });
      p.send('[1,2]');
      p.send({ type: 'ping' });
      await p.collect('pong', 2, 3000);
      const replies = p.received.filter((r) => r.msg?.type === 'pong' || r.msg?.type === 'error');
      for (const r of replies) expectEnvelope(r);
      expect(replies.map((r) => [r.msg!.type, r.msg!.payload.error])).toEqual([
        ['pong', undefined],
        ['error', 'Invalid message format'],
        ['error', 'Channel not specified'],
        ['error', 'Unknown channel: no_such_channel'],
        ['error', 'Unknown message type: launch'],
        ['error', 'Invalid message format'],
        ['pong', undefined],
      ]);
      const pong = p.ofType('pong')[0];
      // stamped when answered: within half a second of its arrival (room for this shared event loop on a busy machine)
      expect(Math.abs((pong.msg!.payload.timestamp as number) - pong.at)).toBeLessThan(500);
      expect(p.ws.readyState).toBe(p.ws.OPEN);
    });
  });

  test('two clients see identical bytes for the same tick', async () => {
    await withSimulator({}, async (_sim, open) => {
      const a = await open();
      const b = await open();
      a.subscribe('block_updates');
      b.subscribe('block_updates');
      await Promise.all([a.collect('block_update', 1, 3000), b.collect('block_update', 1, 3000)]);
      await Promise.all([a.collect('tps_update', 3, 3000), b.collect('tps_update', 3, 3000)]);
      for (const type of ['tps_update', 'block_update']) {
        const fromA = new Map(a.ofType(type).map((r) => [r.msg!.timestamp, r.raw]));
        const shared = b.ofType(type).filter((r) => fromA.has(r.msg!.timestamp));
        expect(shared.length, type).toBeGreaterThanOrEqual(1);
        for (const r of shared) expect(r.raw).toBe(fromA.get(r.msg!.timestamp));
      }
    });
  });

  test('two simulators with one seed send the same values at the same moment', async () => {
    const [s1, s2, s3] = await Promise.all([
      startSimulator({ port: 0, seed: 5 }),
      startSimulator({ port: 0, seed: 5 }),
      startSimulator({ port: 0, seed: 6 }),
    ]);
    try {
      const [a, b, c] = await Promise.all([Probe.open(s1.url), Probe.open(s2.url), Probe.open(s3.url)]);
      await Promise.all([a, b, c].map((p) => p.collect('tps_update', 2, 3000)));
      const key = (r: Received) => Math.round(r.msg!.timestamp / 1000);
      const fromB = new Map(b.ofType('tps_update').map((r) => [key(r), r.msg!.payload]));
      const fromC = new Map(c.ofType('tps_update').map((r) => [key(r), r.msg!.payload]));
      const common = a.ofType('tps_update').filter((r) => fromB.has(key(r)) && fromC.has(key(r)));
      expect(common.length).toBeGreaterThanOrEqual(1);
      for (const r of common) {
        expect(fromB.get(key(r))).toEqual(r.msg!.payload);
        expect(fromC.get(key(r))).not.toEqual(r.msg!.payload);
      }
      for (const p of [a, b, c]) p.close();
    } finally {
      await Promise.all([s1.close(), s2.close(), s3.close()]);
    }
  });

  test('the upgrade is only on the profile path', async () => {
    await withSimulator({}, async (sim) => {
      await expect(Probe.open(sim.url.replace(aurigraphV11.path, '/elsewhere'))).rejects.toThrow(/404/);
      expect(sim.stats().refusedUpgrades).toEqual({ path: 1 });
    });
  });
});

