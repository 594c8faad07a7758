import { describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { startRun } from '../../src/engine/run.js';
import { defaultSettings } from '../../src/scenario/settings.js';
import { buildReport, type Report } from '../../src/verdict/report.js';
import { aurigraphV11 } from '../helpers/profiles.js';
import { failing, why } from '../helpers/run.js';

/**
 * Broadcast targets (one timer, one timestamp per tick for every client)
 * whose data is wrong in one way: data_consistency fails alone, and its
 * detail says which field, which values and which clients.
 */
const PATH = aurigraphV11.path;

/** Sends every client a tps_update each second, all stamped alike; `payload(i)` for the i-th client connected. */
async function broadcast(payload: (client: number) => Record<string, number>): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: PATH });
  const clients: WebSocket[] = [];
  wss.on('connection', (ws) => {
    clients.push(ws);
    const now = Date.now();
    ws.send(JSON.stringify({ type: 'connection_established', payload: { connectionId: '123e4567-e89b-12d3-a456-426614174000', timestamp: now }, timestamp: now }));
  });
  const timer = setInterval(() => {
    const ts = Date.now();
    clients.forEach((ws, i) => ws.send(JSON.stringify({ type: 'tps_update', payload: payload(i), timestamp: ts })));
  }, 1000);
  await new Promise((r) => wss.once('listening', r));
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}${PATH}`,
    close: () => new Promise((r) => {
      clearInterval(timer);
      for (const c of wss.clients) c.terminate();
      wss.close(() => r());
    }),
  };
}

async function judged(url: string): Promise<Report> {
  const settings = defaultSettings({ target: url, clients: 10, rampMs: 0, durationMs: 3000, chaos: undefined, probes: false, channels: ['tps_updates'] });
  return buildReport(await startRun(settings).result);
}

const detailOf = (r: Report) => r.criteria.find((c) => c.id === 'data_consistency')!.detail;

describe.concurrent('data_consistency names what differed', () => {
  it('currentTPS above peakTPS (the Phase 3A server\'s data) fails through the profile\'s invariant, with the values', async () => {
    const t = await broadcast(() => ({ currentTPS: 801_000, peakTPS: 800_000, averageTPS: 750_000, latency: 50 }));
    try {
      const r = await judged(t.url);
      expect(failing(r), why(r)).toEqual(['data_consistency']);
      expect(r.metrics.violations.invariant_broken).toBeGreaterThan(0);
      expect(r.metrics.violations.tick_mismatch ?? 0).toBe(0);
      expect(detailOf(r)).toMatch(/currentTPS <= peakTPS.*currentTPS=801000.*peakTPS=800000/);
    } finally {
      await t.close();
    }
  });

  it('a value drawn per client is one finding: the field, two clients and what each saw, and how many ticks', async () => {
    const t = await broadcast((i) => ({ currentTPS: 790_000 + i, peakTPS: 900_000, averageTPS: 750_000, latency: 50 }));
    try {
      const r = await judged(t.url);
      expect(failing(r), why(r)).toEqual(['data_consistency']);
      const mismatches = r.metrics.violations.tick_mismatch ?? 0;
      expect(mismatches).toBeGreaterThan(0);
      // every mismatch is on currentTPS: one line, counted, with one example
      expect(r.metrics.findings).toEqual({ 'tick_mismatch tps_update currentTPS': mismatches });
      expect(detailOf(r)).toMatch(new RegExp(`^tps_update currentTPS: client \\d+ saw \\d+, client \\d+ saw \\d+ at ts \\d+ \\(tick_mismatch: ${mismatches} tick\\(s\\) differ on this field\\)$`));
      // two clients, and two values
      const [a, b] = [...detailOf(r).matchAll(/client (\d+) saw (\d+)/g)];
      expect(a[1]).not.toBe(b[1]);
      expect(a[2]).not.toBe(b[2]);
    } finally {
      await t.close();
    }
  });
});
