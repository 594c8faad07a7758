import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { dataTime, FallbackPoller, type FallbackPoint, type FallbackStats } from '../../src/engine/fallback-poller.js';
import { decodeHistogram } from '../../src/metrics/histogram.js';
import { startSimulator } from '../../src/simulator/index.js';
import { judgeFallback } from '../../src/verdict/criteria/fallback.js';
import { DEFAULT_THRESHOLDS } from '../../src/verdict/thresholds.js';

/** Polls until `n` polls completed (or `ms` passed), then stops. */
function pollN(poller: FallbackPoller, n: number, ms = 8000): Promise<FallbackStats> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => reject(new Error(`only ${seen} of ${n} polls in ${ms} ms`)), ms);
    poller.on('poll', () => {
      if (++seen === n) {
        clearTimeout(timer);
        resolve(poller.stop());
      }
    });
    poller.start();
  });
}

async function serve(handler: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/snapshot`, server };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

const json = (res: Parameters<RequestListener>[1], status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
};

describe.concurrent('FallbackPoller', () => {
  it("finds every poll of the simulator's snapshot ok, even while its socket is down", async () => {
    const sim = await startSimulator({ port: 0, faults: ['socket-down'] });
    try {
      const url = `${sim.httpUrl}${sim.profile.fallbackPath}`;
      const stats = await pollN(new FallbackPoller(url, 100), 8);
      expect(stats).toMatchObject({ url, intervalMs: 100, polls: 8, ok: 8, failures: {} });
      expect(stats.points.every((p) => p.ok && p.ms > 0)).toBe(true);
      expect(decodeHistogram(stats.latency).totalCount).toBe(8);
      expect(stats.p99Ms).toBeGreaterThan(0);
      expect(judgeFallback(stats, DEFAULT_THRESHOLDS).status).toBe('pass');
    } finally {
      await sim.close();
    }
  });

  it('counts each kind of bad answer by reason', async () => {
    // one answer per poll, in this order
    const now = () => Date.now();
    const answers: Array<() => [number, string]> = [
      () => [200, JSON.stringify({ timestamp: now(), tps: { currentTPS: 1 } })],
      () => [500, JSON.stringify({ error: 'boom' })],
      () => [200, '<html>maintenance</html>'],
      () => [200, '[1,2,3]'],
      () => [200, JSON.stringify({ timestamp: now() - 60_000 })], // a minute old: stale, and it went back
      () => [200, JSON.stringify({ timestamp: now() })],
      () => [200, JSON.stringify({ timestamp: now() - 60_000 })],
      () => [503, 'unavailable'],
    ];
    let i = 0;
    const { url, server } = await serve((_req, res) => {
      const [status, body] = answers[Math.min(i++, answers.length - 1)]();
      json(res, status, body);
    });
    try {
      const stats = await pollN(new FallbackPoller(url, 50), answers.length);
      expect(stats.points.map((p) => p.reason ?? 'ok')).toEqual([
        'ok', 'http_500', 'not_json', 'not_object', 'timestamp_went_back', 'ok', 'timestamp_went_back', 'http_503',
      ]);
      expect(stats.ok).toBe(2);
      expect(stats.failures).toEqual({ http_500: 1, not_json: 1, not_object: 1, timestamp_went_back: 2, http_503: 1 });
      const verdict = judgeFallback(stats, DEFAULT_THRESHOLDS);
      expect(verdict.status).toBe('fail');
      expect(verdict.observed).toMatch(/^2\/8 ok \(25\.0 %\)/);
      expect(verdict.detail).toMatch(/http_500 1/);
    } finally {
      await close(server);
    }
  });

  it('finds a cached snapshot stale once its time is older than maxAgeMs', async () => {
    // the data time freezes at the first poll, so that poll is fresh however slow the start
    let frozen: number | undefined;
    const { url, server } = await serve((_req, res) => json(res, 200, JSON.stringify({ block_updates: { timestamp: (frozen ??= Date.now()), blockHeight: 7 } })));
    try {
      const stats = await pollN(new FallbackPoller(url, 100, { maxAgeMs: 250 }), 6);
      expect(stats.points[0].ok).toBe(true);
      expect(stats.points.slice(-2).every((p) => p.reason === 'stale')).toBe(true);
    } finally {
      await close(server);
    }
  });

  it('without any time, finds a body that stops changing stale', async () => {
    const { url, server } = await serve((_req, res) => json(res, 200, '{"currentTPS":800000}'));
    try {
      const stats = await pollN(new FallbackPoller(url, 100, { maxAgeMs: 250 }), 6);
      expect(stats.points[0].ok).toBe(true);
      expect(stats.points.at(-1)!.reason).toBe('stale');
    } finally {
      await close(server);
    }
  });

  it('corrects the data time by the clock offset', async () => {
    // The target's clock runs 30 s ahead; with the offset known, its data is fresh.
    const { url, server } = await serve((_req, res) => json(res, 200, JSON.stringify({ timestamp: Date.now() + 30_000 })));
    try {
      const stats = await pollN(new FallbackPoller(url, 50, { clockOffsetMs: 30_000 }), 3);
      expect(stats.ok).toBe(3);
    } finally {
      await close(server);
    }
  });

  it('fails a poll with no answer as a timeout, and a refused connection as network', async () => {
    const { url, server } = await serve(() => {}); // never answers
    try {
      const stats = await pollN(new FallbackPoller(url, 50, { timeoutMs: 150 }), 2);
      expect(stats.failures).toEqual({ timeout: 2 });
      expect(stats.points.every((p) => p.ms >= 150)).toBe(true);
    } finally {
      await close(server);
    }
    // the same port, now closed
    const stats = await pollN(new FallbackPoller(url, 50), 2);
    expect(stats.failures).toEqual({ network: 2 });
    expect(stats.lastError).toBe('ECONNREFUSED');
  });
});

describe('dataTime', () => {
  it('takes the top-level time, else the newest among the objects', () => {
    expect(dataTime({ timestamp: 5, a: { timestamp: 9 } })).toBe(5);
    expect(dataTime({ a: { timestamp: 9 }, b: { timestamp: 12 }, c: [1], d: null })).toBe(12);
    expect(dataTime({ a: { ts: 9 } })).toBeUndefined();
    expect(dataTime({ a: { ts: 9 } }, 'ts')).toBe(9);
  });
});

describe('judgeFallback', () => {
  const stats = (polls: number, ok: number, p99Ms: number): FallbackStats => ({
    url: 'http://x/s', intervalMs: 1000, polls, ok, failures: polls > ok ? { timeout: polls - ok } : {},
    latency: '', p50Ms: 5, p99Ms, maxMs: p99Ms, points: [] as FallbackPoint[],
  });
  it('passes at 99 % ok and p99 2000 ms, fails below or above', () => {
    expect(judgeFallback(stats(100, 99, 2000), DEFAULT_THRESHOLDS).status).toBe('pass');
    expect(judgeFallback(stats(100, 98, 20), DEFAULT_THRESHOLDS).status).toBe('fail');
    expect(judgeFallback(stats(100, 100, 2001), DEFAULT_THRESHOLDS).status).toBe('fail');
  });
  it('skips when no poll completed', () => {
    const r = judgeFallback(stats(0, 0, 0), DEFAULT_THRESHOLDS);
    expect(r.status).toBe('skipped');
    expect(r.detail).toBe('no poll of http://x/s completed');
  });
});
