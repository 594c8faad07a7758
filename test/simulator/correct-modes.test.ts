import { afterEach, describe, expect, it } from 'vitest';
import { formatFaults, parseFaults } from '../../src/source/fault-spec.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { FRESH_MS, snapshotTick } from '../../src/simulator/snapshot-tick.js';
import { aurigraphV11 } from '../helpers/profiles.js';
import { feedClient, type FeedClient } from './feed-client.js';

/**
 * The simulator's modes of a correct server like the real one: `snapshot`,
 * `phase=per-client`, `confirm-unknown`, on the wire.
 */
describe('the fault grammar of the correct modes', () => {
  it('parses, combines and formats back', () => {
    const set = parseFaults(['snapshot', 'phase=per-client', 'confirm-unknown'], aurigraphV11);
    expect(set).toMatchObject({ snapshot: true, perClientPhase: true, confirmUnknown: true });
    expect(formatFaults(set)).toEqual(['snapshot', 'phase=per-client', 'confirm-unknown']);
    expect(parseFaults(['phase=global'], aurigraphV11).perClientPhase).toBe(false);
    expect(() => parseFaults(['phase=random'], aurigraphV11)).toThrow(/phase is per-client or global/);
    expect(() => parseFaults(['snapshot=1'], aurigraphV11)).toThrow(/snapshot takes no value/);
  });

  it('a snapshot shows the tick due now, stamped with its instant while it may still be on its way', () => {
    expect(snapshotTick(2000, 10_030)).toEqual({ index: 5, at: 10_000 });
    expect(snapshotTick(2000, 11_500)).toEqual({ index: 5, at: 11_500 });
    expect(snapshotTick(2000, 10_000 + FRESH_MS)).toEqual({ index: 5, at: 10_000 + FRESH_MS });
  });
});

const type = (channel: string) => aurigraphV11.channels.find((c) => c.channel === channel)!.messageType;
const subscribe = (channel: string) => ({ type: 'subscribe', channel });

describe('on the wire', () => {
  let sim: RunningSimulator | undefined;
  const clients: FeedClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await sim?.close();
    sim = undefined;
  });
  async function open(faults: string[], n = 1): Promise<FeedClient[]> {
    sim ??= await startSimulator({ port: 0, seed: 3, faults });
    const made = Array.from({ length: n }, () => feedClient(sim!.url, aurigraphV11));
    clients.push(...made);
    await Promise.all(made.map((c) => c.opened));
    await Promise.all(made.map((c) => c.until('welcome', () => c.of('connection_established').length > 0, 2000)));
    return made;
  }

  it('snapshot: the self-starting channel right after the welcome, a subscribed one right after its confirmation', async () => {
    const [c] = await open(['snapshot']);
    await c.until('tps_update', () => c.of(type('tps_updates')).length > 0, 2000);
    expect(c.got[1].type).toBe(type('tps_updates')); // the next frame after the welcome
    const asked = Date.now();
    c.send(subscribe('validator_metrics'));
    await c.until('validator_update', () => c.of(type('validator_metrics')).length > 0, 2000);
    // a 5 s channel, delivered at once
    expect(c.of(type('validator_metrics'))[0].at - asked).toBeLessThan(500);
    const confirmed = c.got.findIndex((m) => m.type === 'subscription_confirmed');
    expect(c.got[confirmed + 1].type).toBe(type('validator_metrics'));
  });

  it('confirm-unknown: a subscribe to a channel that does not exist is confirmed, and nothing follows', async () => {
    const [c] = await open(['confirm-unknown']);
    c.send(subscribe('no_such_channel'));
    await c.until('confirmation', () => c.of('subscription_confirmed').length > 0, 2000);
    expect(c.of('subscription_confirmed')[0].payload).toMatchObject({ channel: 'no_such_channel', status: 'subscribed' });
    expect(c.of('error')).toEqual([]);
  });

  it('without confirm-unknown the same subscribe gets an error', async () => {
    const [c] = await open([]);
    c.send(subscribe('no_such_channel'));
    await c.until('error', () => c.of('error').length > 0, 2000);
    expect(c.of('subscription_confirmed')).toEqual([]);
  });

  it('phase=per-client: two clients get the same values for a tick at their own instants', async () => {
    const both = await open(['phase=per-client'], 2);
    for (const c of both) c.send(subscribe('block_updates'));
    const t = type('block_updates');
    await Promise.all(both.map((c) => c.until('two blocks', () => c.of(t).length >= 2, 6000)));
    const [a, b] = both.map((c) => c.of(t));
    // on the interval each, off the 2 s grid by their own phase
    expect(a[1].stamp - a[0].stamp).toBe(2000);
    expect(b[1].stamp - b[0].stamp).toBe(2000);
    expect(a[0].stamp % 2000).not.toBe(b[0].stamp % 2000);
    // the same tick index carries the same block height for both
    const height = (m: { stamp: number; payload: Record<string, unknown> }) => [Math.floor(m.stamp / 2000), m.payload.blockHeight] as const;
    const byTick = new Map(a.map(height));
    for (const m of b) {
      const [k, h] = height(m);
      if (byTick.has(k)) expect(h).toBe(byTick.get(k));
    }
  });
});
