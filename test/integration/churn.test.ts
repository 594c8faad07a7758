import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startRun } from '../../src/engine/run.js';
import { defaultSettings } from '../../src/scenario/settings.js';
import { buildReport, type Report } from '../../src/verdict/report.js';

/**
 * --churn against the embedded simulator (its own process, sampled from
 * /proc): 20 clients, 5 closed and reopened a second for a 20 s steady
 * phase, as the acceptance of issue 13 runs it. A server that keeps 200 KB
 * of every connection ever opened fails server_memory on what it keeps per
 * connection; the clean simulator passes every criterion it measures, and
 * the churn counts as planned, not as disconnects.
 */
async function churnRun(faults: string[]): Promise<Report> {
  return buildReport(await startRun(defaultSettings({ clients: 20, durationMs: 20_000, churnPerSecond: 5, simulatorFaults: faults })).result);
}
const criterion = (r: Report, id: string) => r.criteria.find((c) => c.id === id)!;

describe.concurrent('churn', () => {
  it('retain=200KB: server_memory fails on growth per connection opened', async () => {
    const r = await churnRun(['retain=200KB']);
    const memory = criterion(r, 'server_memory');
    expect(memory.status, memory.detail).toBe('fail');
    expect(memory.threshold).toMatch(/growth per connection opened < 50 KB/);
    const perConnection = Number(/([\d.]+) KB per connection opened/.exec(memory.observed)?.[1]);
    expect(perConnection, memory.observed).toBeGreaterThan(50);
  });

  it('the clean simulator: every measured criterion passes, churn planned and not a disconnect', async () => {
    const r = await churnRun([]);
    const failed = r.criteria.filter((c) => c.status === 'fail');
    expect(failed.map((c) => `${c.id}: ${c.observed} (${c.detail})`)).toEqual([]);
    const { churn } = r.metrics;
    expect(churn.planned).toBeGreaterThanOrEqual(80);
    // one close may find its client still reopening from a chaos cut
    expect(churn.closes).toBeGreaterThanOrEqual(churn.planned - 2);
    expect(churn.reopened).toBe(churn.closes);
    expect(churn.reopenFailed).toBe(0);
    expect(r.metrics.disconnects.unintended).toBe(0);
    // every reopened connection was welcomed and checked like the first
    expect(r.metrics.welcomes).toBeGreaterThanOrEqual(20 + churn.reopened);
    expect(criterion(r, 'concurrency').observed).toMatch(/^20\/20 held/);
    expect(criterion(r, 'uptime').status).toBe('pass');
    expect(criterion(r, 'uptime').detail).toMatch(/churn close\(s\) planned/);
    expect(criterion(r, 'server_memory').observed).toMatch(/KB per connection opened/);
    expect(r.metrics.threads?.perOpenConnection).toBeGreaterThan(0);
    expect(r.metrics.threads?.connectionsOpened).toBeGreaterThanOrEqual(churn.reopened);
  });
});

describe('churn against a target that refuses the page coming back', () => {
  it('a failed reopen fails connect, and is the target\'s: the client is lost, not held', async () => {
    // welcomes the first three upgrades, refuses every one after (HTTP 503)
    let upgrades = 0;
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', verifyClient: (_info, done) => done(++upgrades <= 3, 503) });
    await once(wss, 'listening');
    wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'connection_established', connectionId: `c${upgrades}`, timestamp: Date.now() })));
    try {
      const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/api/v11/live/stream`;
      const run = startRun(defaultSettings({ target: url, clients: 3, minClients: 1, rampMs: 0, durationMs: 6000, churnPerSecond: 2, chaos: undefined, probes: false }));
      const r = buildReport(await run.result);
      expect(r.metrics.churn.closes).toBeGreaterThan(0);
      expect(r.metrics.churn.reopenFailed).toBe(r.metrics.churn.closes);
      const connect = criterion(r, 'connect');
      expect(connect.status).toBe('fail');
      expect(connect.detail).toMatch(/reopen\(s\) after a churn close failed/);
      // the harness closed them: not a disconnect, but not held either
      expect(r.metrics.disconnects.unintended).toBe(0);
      expect(r.metrics.clients.held).toBeLessThan(3);
      expect(criterion(r, 'uptime').status).toBe('fail');
    } finally {
      wss.close();
    }
  });
});
