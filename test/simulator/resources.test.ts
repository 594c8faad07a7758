import { describe, expect, test } from 'vitest';
import { cpuSecondsOf, rssOf, serve } from './serve-child.js';

/**
 * Faults on the simulator process itself (leak, cpu), measured from outside
 * as the load run measures a target: /proc of a `serve` child.
 */

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function adminStats(httpUrl: string, token: string): Promise<{ retainedBytes: number; sendLagMs: { p99: number } }> {
  const res = await fetch(`${httpUrl}/admin/stats`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as { retainedBytes: number; sendLagMs: { p99: number } };
}

describe.concurrent('resource faults', () => {
  test('leak=600 (10 MB/s): resident memory grows by that much; lifting it lets go', async () => {
    const s = serve(['--port', '0', '--admin-token', 'adm', '--fault', 'leak=600']);
    try {
      const [, , rest] = await s.lines(3);
      const httpUrl = /snapshot (http:\/\/[^/]+)/.exec(rest)![1];
      const pid = s.child.pid!;
      const start = rssOf(pid);
      const t0 = Date.now();
      await sleep(3200);
      const grown = rssOf(pid) - start;
      const seconds = (Date.now() - t0) / 1000;
      // one 10 MB step per whole second: 3 (or 4) steps in 3.2 s
      expect(grown / MB, `RSS +${(grown / MB).toFixed(1)} MB in ${seconds} s`).toBeGreaterThanOrEqual(25);
      expect(grown / MB).toBeLessThan(55);
      const kept = (await adminStats(httpUrl, 'adm')).retainedBytes;
      expect(kept / MB).toBeGreaterThanOrEqual(30);
      expect(kept / MB).toBeLessThanOrEqual(40);
      await fetch(`${httpUrl}/admin/faults`, { method: 'DELETE', headers: { authorization: 'Bearer adm' } });
      expect((await adminStats(httpUrl, 'adm')).retainedBytes).toBe(0);
    } finally {
      await s.stop();
    }
  });

  // retried once by name: a CPU share over 2.5 s and a 50 ms send-lag bound, read on a shared two-core machine
  test('cpu=40%: the process burns ~0.4 of a core in a thread, and ticks stay on time', { retry: 1 }, async () => {
    const s = serve(['--port', '0', '--admin-token', 'adm', '--fault', 'cpu=40%']);
    try {
      const [, , rest] = await s.lines(3);
      const httpUrl = /snapshot (http:\/\/[^/]+)/.exec(rest)![1];
      const pid = s.child.pid!;
      await sleep(500); // past start-up work
      const c0 = cpuSecondsOf(pid);
      const t0 = performance.now();
      await sleep(2500);
      const share = (cpuSecondsOf(pid) - c0) / ((performance.now() - t0) / 1000);
      // a busy test machine (two cores, other files running) can only take from it
      expect(share, `CPU share ${share.toFixed(2)}`).toBeGreaterThanOrEqual(0.28);
      expect(share).toBeLessThanOrEqual(0.55);
      const stats = await adminStats(httpUrl, 'adm');
      expect(stats.sendLagMs.p99).toBeLessThan(50);
    } finally {
      await s.stop();
    }
  });
});
