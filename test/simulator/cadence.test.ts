import { describe, expect, test } from 'vitest';
import { aurigraphV11 } from '../helpers/profiles.js';
import { gaps, lateness, shareWithin, withSimulator } from './probe.js';

/**
 * Cadence on the wire, in a file of its own: gaps are measured from receive
 * times, and concurrent tests in the same process would add their own jitter
 * to the client's event loop.
 */

const channels = aurigraphV11.channels;

describe('cadence', () => {
  test('subscribe confirms, then every channel streams on its cadence (+-50 ms over several intervals)', async () => {
    await withSimulator({}, async (_sim, open) => {
      const p = await open();
      p.subscribe(...channels.filter((c) => !c.autoStart).map((c) => c.channel));
      // 3 validator ticks (2 gaps) take 10-15 s; the other channels tick more often
      await p.until(() => p.ofType('validator_update').length >= 3, 16_500, '3 validator_update');
      const start = p.ofType('subscription_confirmed').at(-1)!.at;
      const span = p.ofType('validator_update')[2].at - start;
      const confirms = p.ofType('subscription_confirmed').map((r) => r.msg!.payload);
      expect(confirms).toEqual(
        channels.filter((c) => !c.autoStart).map((c) => ({ channel: c.channel, status: 'subscribed' })),
      );
      const late: number[] = [];
      const offGrid: number[] = [];
      for (const spec of channels) {
        const got = p.ofType(spec.messageType);
        // a window of `span` ms holds floor(span / interval) ticks, less one at its edge
        expect(got.length, spec.messageType).toBeGreaterThanOrEqual(Math.max(3, Math.floor(span / spec.intervalMs) - 1));
        late.push(...lateness(got.map((r) => r.at), spec.intervalMs));
        offGrid.push(...got.map((r) => r.msg!.timestamp % spec.intervalMs));
      }
      // Every message in its slot, and +-50 ms of it: all of them but the odd
      // hiccup of a busy test machine (2 cores, other test files running).
      expect(shareWithin(late, 50), `lateness ${late.map(Math.round)}`).toBeGreaterThanOrEqual(0.9);
      expect(Math.max(...late)).toBeLessThan(250);
      // a broadcast server's slots sit on the wall-clock grid (server clock)
      expect(shareWithin(offGrid, 50), `off grid ${offGrid}`).toBeGreaterThanOrEqual(0.9);
      // confirmation arrives before the channel's first message
      const firstBlock = p.received.findIndex((r) => r.msg?.type === 'block_update');
      const confirmBlock = p.received.findIndex((r) => r.msg?.type === 'subscription_confirmed' && r.msg.payload.channel === 'block_updates');
      expect(confirmBlock).toBeLessThan(firstBlock);
      // data lives: heights rise one per block, TPS moves
      const heights = p.ofType('block_update').map((r) => r.msg!.payload.blockHeight as number);
      gaps(heights).forEach((d) => expect(d).toBe(1));
      const tps = p.ofType('tps_update').map((r) => r.msg!.payload as Record<string, number>);
      expect(new Set(tps.map((t) => t.currentTPS)).size).toBeGreaterThan(5);
      for (const t of tps) {
        expect(t.currentTPS).toBeGreaterThanOrEqual(776_000);
        expect(t.currentTPS).toBeLessThanOrEqual(826_000);
        // the profile's invariant, kept in every message
        expect(t.peakTPS).toBeGreaterThanOrEqual(t.currentTPS);
        expect(t.latency).toBeGreaterThanOrEqual(40);
        expect(t.latency).toBeLessThanOrEqual(60);
      }
    });
  }, 25_000);
});
