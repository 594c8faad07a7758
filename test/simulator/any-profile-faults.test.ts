import { describe, expect, test } from 'vitest';
import { findProfile } from '../../src/profile/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { feedClient, type FeedClient } from './feed-client.js';

/**
 * Every fault on a profile of another shape than the default (ticker-demo:
 * `{event, data, ts}` with ts in seconds, `{op, topic}` control messages,
 * quotes at 1 s by themselves, trades at 500 ms on subscribe). The faults'
 * finer points are tested on the default profile in faults.test.ts.
 */

const ticker = findProfile('ticker-demo')!;
const SUB_TRADES = { op: 'sub', topic: 'trades' };

async function withTicker(faults: string[], body: (sim: RunningSimulator, open: () => Promise<FeedClient>) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ profile: ticker, port: 0, faults });
  const clients: FeedClient[] = [];
  try {
    await body(sim, async () => {
      const c = feedClient(sim.url, ticker);
      clients.push(c);
      await c.opened;
      return c;
    });
  } finally {
    for (const c of clients) c.ws.terminate();
    await sim.close();
  }
}

const upgradeFails = (sim: RunningSimulator): Promise<string> =>
  feedClient(sim.url, ticker).opened.then(
    () => 'opened',
    (e: Error) => e.message,
  );

describe.concurrent('faults on any profile (ticker-demo)', () => {
  test('drop=100%: quotes vanish, the pong still comes', async () => {
    await withTicker(['drop=100%'], async (sim, open) => {
      const c = await open();
      // nothing arrives to wake a wait: two quote periods by the clock
      await new Promise((r) => setTimeout(r, 2100));
      c.send({ op: 'ping' });
      await c.until('pong', () => c.of('pong').length > 0, 3000);
      expect(sim.stats().ticksByType.quote).toBeGreaterThanOrEqual(2);
      expect(c.got[0].type).toBe('hello');
      expect(c.of('quote')).toEqual([]);
    });
  });

  test('latency=300ms: stamped on the tick (in seconds), received 300 ms later', async () => {
    await withTicker(['latency=300ms'], async (_sim, open) => {
      const c = await open();
      await c.until('2 quotes', () => c.of('quote').length >= 2, 4000);
      for (const q of c.of('quote')) {
        expect(q.at - q.stamp * 1000).toBeGreaterThanOrEqual(299);
        expect(q.at - q.stamp * 1000).toBeLessThan(700);
      }
    });
  });

  test('drift=-50%: quotes every 0.5 s', async () => {
    await withTicker(['drift=-50%'], async (_sim, open) => {
      const c = await open();
      await c.until('4 quotes', () => c.of('quote').length >= 4, 4000);
      const q = c.of('quote').slice(1);
      for (let i = 1; i < q.length; i++) expect(q[i].stamp - q[i - 1].stamp).toBeCloseTo(0.5, 2);
    });
  });

  test('stall=trades: confirmed, silent; quotes keep coming', async () => {
    await withTicker(['stall=trades'], async (_sim, open) => {
      const c = await open();
      c.send(SUB_TRADES);
      await c.until('subscribed and 3 quotes', () => c.of('subscribed').length === 1 && c.of('quote').length >= 3, 5000);
      expect(c.of('trade')).toEqual([]);
    });
  });

  test('disconnect=800ms:4000, then socket-down and max-connections=1 refuse upgrades with 503', async () => {
    await withTicker(['disconnect=800ms:4000'], async (sim, open) => {
      const c = await open();
      expect(await c.closed).toBe(4000);
      await sim.setFaults(['max-connections=1']);
      await open();
      expect(await upgradeFails(sim)).toBe('HTTP 503');
      await sim.setFaults(['socket-down']);
      expect(await upgradeFails(sim)).toBe('HTTP 503');
    });
  });

  test('malformed=100%: channel frames are not JSON, the welcome is', async () => {
    await withTicker(['malformed=100%'], async (_sim, open) => {
      const c = await open();
      await c.until('2 broken frames', () => c.broken.length >= 2, 4000);
      expect(c.got[0].type).toBe('hello');
      expect(c.of('quote')).toEqual([]);
    });
  });

  test('duplicate=100% and oversize=100%:16KiB: each quote twice, padded, stamp kept in seconds', async () => {
    await withTicker(['duplicate=100%', 'oversize=100%:16KiB'], async (_sim, open) => {
      const c = await open();
      await c.until('4 quotes', () => c.of('quote').length >= 4, 4000);
      const [a, b] = c.of('quote');
      expect(a.raw).toBe(b.raw);
      expect(a.raw.length).toBeGreaterThanOrEqual(16_000);
      expect(Math.abs(a.stamp - Date.now() / 1000)).toBeLessThan(5);
    });
  });

  test("the REST snapshot at the profile's fallback, by channel name, stamped in seconds; rest-down makes it 503", async () => {
    await withTicker([], async (sim) => {
      const res = await fetch(`${sim.httpUrl}/snapshot`);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['candles', 'quotes', 'trades', 'ts']);
      expect(Math.abs((body.ts as number) - Date.now() / 1000)).toBeLessThan(5);
      expect(Object.keys(body.quotes as object).sort()).toEqual(['ask', 'bid', 'spread']);
      await sim.setFaults(['rest-down']);
      expect((await fetch(`${sim.httpUrl}/snapshot`)).status).toBe(503);
    });
  });

  test('legacy: values per client, the rising seq stuck, a second sub doubles the stream, unsub ignored', async () => {
    await withTicker(['legacy'], async (_sim, open) => {
      const [a, b] = [await open(), await open()];
      a.send(SUB_TRADES);
      a.send(SUB_TRADES);
      b.send(SUB_TRADES);
      await a.until('6 trades', () => a.of('trade').length >= 6, 4000);
      a.send({ op: 'unsub', topic: 'trades' });
      await b.until('2 trades and a quote', () => b.of('trade').length >= 2 && b.of('quote').length >= 1, 4000);
      const mark = a.of('trade').length;
      await a.until('trades after unsub', () => a.of('trade').length >= mark + 2, 3000);
      expect(a.of('subscribed').length).toBe(2);
      for (const t of [...a.of('trade'), ...b.of('trade')]) expect(t.payload.seq).toBe(12345);
      // two streams: trades in pairs a few ms apart, half a second between pairs (under half of that: room for a busy machine)
      const [t0, t1, t2] = a.of('trade');
      expect(t1.at - t0.at).toBeLessThan(250);
      expect(t2.at - t0.at).toBeGreaterThan(400);
      expect(a.of('quote')[0]?.payload.bid).not.toBe(b.of('quote')[0]?.payload.bid);
    });
  });
});
