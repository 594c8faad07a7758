import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { findProfile } from '../../src/profile/index.js';
import { feedClient } from './feed-client.js';
import { serve } from './serve-child.js';

/**
 * `serve --profile <file>` end to end, with a profile of another shape than
 * the default: ticker-demo's `{event, data, ts}` envelope with `ts` in
 * seconds, `{op, topic}` control messages, a `hello` welcome, a `problem`
 * error reply, a 500 ms channel beside a 1 s one. A plain `ws` client, no
 * harness code: what a user of that stream would see.
 */

const TICKER = fileURLToPath(new URL('../../profiles/ticker-demo.yaml', import.meta.url));
const ticker = findProfile('ticker-demo')!;

describe('serve --profile profiles/ticker-demo.yaml', () => {
  for (const workers of ['1', '2']) {
    test(`hello, quotes at 1 s unasked, trades at 500 ms after {op: sub}, ts in seconds (workers ${workers})`, async () => {
      const s = serve(['--profile', TICKER, '--port', '0', '--workers', workers]);
      try {
        expect(await s.firstLine).toMatch(/^livestream-bench simulator listening on ws:\/\/127\.0\.0\.1:\d+\/feed$/);
        const [, , rest] = await s.lines(3);
        expect(rest).toMatch(/^ {2}snapshot http:\/\/127\.0\.0\.1:\d+\/snapshot /);
        const c = feedClient(await s.url(), ticker);
        await c.opened;
        await c.until('hello', () => c.got.length > 0, 3000);
        const [hello] = c.got;
        expect(hello.type).toBe('hello');
        expect(typeof hello.payload.session).toBe('string');
        expect((hello.payload.session as string).length).toBeGreaterThanOrEqual(8);
        // seconds since the epoch, fractional: within a few seconds of now
        expect(Math.abs(hello.stamp - Date.now() / 1000)).toBeLessThan(5);

        await c.until('3 quotes', () => c.of('quote').length >= 3, 5000);
        const quotes = c.of('quote');
        for (let i = 1; i < quotes.length; i++) expect(quotes[i].stamp - quotes[i - 1].stamp).toBeCloseTo(1, 3);
        for (const q of quotes) expect(q.payload.bid as number).toBeLessThanOrEqual(q.payload.ask as number);
        expect(c.of('trade')).toEqual([]);

        c.send({ op: 'sub', topic: 'trades' });
        await c.until('5 trades', () => c.of('trade').length >= 5, 5000);
        const [subscribed] = c.of('subscribed');
        expect(subscribed.payload).toEqual({ topic: 'trades' });
        expect(c.got.indexOf(subscribed)).toBeLessThan(c.got.indexOf(c.of('trade')[0]));
        const trades = c.of('trade');
        for (let i = 1; i < trades.length; i++) {
          expect(trades[i].stamp - trades[i - 1].stamp).toBeCloseTo(0.5, 3);
          expect(trades[i].payload.seq).toBe((trades[i - 1].payload.seq as number) + 1);
        }
        for (const t of trades) {
          const { price, high, low, side } = t.payload as { price: number; high: number; low: number; side: string };
          expect(low).toBeLessThanOrEqual(price);
          expect(price).toBeLessThanOrEqual(high);
          expect(['buy', 'sell']).toContain(side);
        }

        c.send({ op: 'ping' });
        c.send('not json');
        c.send({ op: 'launch' });
        c.send({ op: 'sub', topic: 'nope' });
        await c.until('pong and problems', () => c.of('pong').length >= 1 && c.of('problem').length >= 3, 3000);
        const [pong] = c.of('pong');
        expect(Math.abs((pong.payload.time as number) - Date.now() / 1000)).toBeLessThan(5);
        expect(c.of('problem').map((m) => m.payload.reason)).toEqual(['Invalid message format', 'Unknown message type: launch', 'Unknown channel: nope']);

        c.send({ op: 'unsub', topic: 'trades' });
        const mark = c.got.length;
        await c.until('2 more quotes', () => c.got.slice(mark).filter((m) => m.type === 'quote').length >= 2, 4000);
        // a trade already on its way may land just after the unsub, no more
        expect(c.got.slice(mark + 1).filter((m) => m.type === 'trade').length).toBeLessThanOrEqual(1);
        c.ws.close();

        // Every client (on whichever worker took it) gets the same bytes for the same tick.
        const others = [0, 1, 2, 3].map(async () => {
          const o = feedClient(await s.url(), ticker);
          await o.opened;
          await o.until('2 quotes', () => o.of('quote').length >= 2, 4000);
          o.ws.close();
          return o.of('quote');
        });
        const byStamp = new Map<number, Set<string>>();
        for (const q of (await Promise.all(others)).flat()) byStamp.set(q.stamp, (byStamp.get(q.stamp) ?? new Set()).add(q.raw));
        for (const frames of byStamp.values()) expect(frames.size).toBe(1);
      } finally {
        await s.stop();
      }
    }, 30_000);
  }
});
