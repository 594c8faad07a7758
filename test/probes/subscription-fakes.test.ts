import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { runProbes, type ProbeReport, type ProbeResult } from '../../src/engine/probe-client.js';
import type { TargetProfile } from '../../src/profile/index.js';
import { aurigraphV11 } from '../helpers/profiles.js';
import { judgeProbes } from '../../src/verdict/probes.js';

/**
 * Hand-written servers that stream one channel (`block_updates`, every
 * 500 ms here, so the subscription probes take a few seconds) in the ways a
 * real server can: a broadcast that sends the latest message at once on
 * subscribe (a snapshot), the Phase 3A server (a thread per subscribe that
 * sends at once and then every interval; unsubscribe ignored), and one that
 * stops the channel on a second subscribe.
 */
const I = 500;
const SLACK = 125;
const profileWith = (snapshotOnSubscribe: boolean): TargetProfile => ({
  ...aurigraphV11,
  channels: aurigraphV11.channels.map((c) => (c.channel === 'block_updates' ? { ...c, intervalMs: I, snapshotOnSubscribe } : { ...c, autoStart: true })),
});

type Mode = 'broadcast-snapshot' | 'thread-per-subscribe' | 'second-subscribe-stops';

const send = (ws: WebSocket, type: string, payload: Record<string, unknown>, timestamp = Date.now()) => ws.send(JSON.stringify({ type, payload, timestamp }));
const block = (height: number) => ({ blockHeight: height, blockTime: 2000, transactions: 10, producer: 'v1' });

async function probeStream(mode: Mode, profile = profileWith(true)): Promise<ProbeReport> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  // the broadcast: one timer for every connection, the latest tick kept for snapshots
  const subscribers = new Set<WebSocket>();
  let latest = { height: 1, ts: Date.now() };
  const tick = setInterval(() => {
    latest = { height: latest.height + 1, ts: Date.now() };
    for (const ws of subscribers) send(ws, 'block_update', block(latest.height), latest.ts);
  }, I);
  const threads: NodeJS.Timeout[] = [];
  wss.on('connection', (ws) => {
    let subscribes = 0;
    send(ws, 'connection_established', { connectionId: 'c1', timestamp: Date.now() });
    ws.on('message', (data) => {
      let msg: { type?: string; channel?: string };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return send(ws, 'error', { error: 'Invalid message format' });
      }
      if (msg.type === 'ping') return send(ws, 'pong', { timestamp: Date.now() });
      if (msg.type === 'unsubscribe') {
        if (mode !== 'thread-per-subscribe') subscribers.delete(ws);
        return;
      }
      if (msg.type !== 'subscribe') return;
      if (!msg.channel) return send(ws, 'error', { error: 'Channel not specified' });
      if (msg.channel !== 'block_updates') return send(ws, 'error', { error: `Unknown channel: ${msg.channel}` });
      subscribes++;
      send(ws, 'subscription_confirmed', { channel: msg.channel, status: 'subscribed' });
      if (mode === 'thread-per-subscribe') {
        // sends at once (a snapshot), then every interval, for as long as the socket lives
        const beat = () => send(ws, 'block_update', block(12345));
        beat();
        threads.push(setInterval(beat, I));
        return;
      }
      if (mode === 'second-subscribe-stops' && subscribes === 2) return subscribers.delete(ws);
      send(ws, 'block_update', block(latest.height), latest.ts); // the snapshot: the latest tick again
      subscribers.add(ws);
    });
  });
  try {
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/api/v11/live/stream`;
    return await runProbes(url, {}, profile);
  } finally {
    clearInterval(tick);
    for (const t of threads) clearInterval(t);
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }
}

const subscriptionProbes = (r: ProbeReport) => r.probes.filter((p) => p.criterion === 'subscriptions');
const byName = (r: ProbeReport): Record<string, ProbeResult> => Object.fromEntries(r.probes.map((p) => [p.name, p]));
const single = `one stream sends 2 in those 1\\.0 s \\(one per 500 ms; 3 with one on each edge\\)`;

/** Each subscription probe waited out its own window, and the next one started after it. */
function expectNoOverlap(r: ProbeReport): void {
  const subs = subscriptionProbes(r);
  expect(subs.map((p) => p.name)).toEqual(['subscribe', 'second_subscribe', 'unsubscribe', 'resubscribe']);
  for (let i = 1; i < subs.length; i++) expect(subs[i].at, `${subs[i].name} starts after ${subs[i - 1].name} ends`).toBeGreaterThanOrEqual(subs[i - 1].at + subs[i - 1].elapsedMs);
  const p = byName(r);
  expect(p.second_subscribe.elapsedMs).toBeGreaterThanOrEqual(3 * I + SLACK - 1);
  expect(p.unsubscribe.elapsedMs).toBeGreaterThanOrEqual(2 * I + SLACK - 1);
}

describe.concurrent('subscription probes against fake streams', () => {
  it('a broadcast that sends a snapshot on subscribe passes: the snapshot is not a doubled stream', async () => {
    const r = await probeStream('broadcast-snapshot');
    expect(subscriptionProbes(r).filter((p) => !p.pass), JSON.stringify(r.probes, null, 1)).toEqual([]);
    expect(judgeProbes(r).subscriptions.status).toBe('pass');
    expectNoOverlap(r);
    const p = byName(r);
    expect(p.second_subscribe.detail).toMatch(new RegExp(`^[23] block_update from 625 ms to 1\\.6 s after the second subscribe, where ${single}, `
      + `smallest gap \\d+ ms \\(server timestamps\\): not doubled; not counted: \\d before 625 ms, one a snapshot on subscribe \\d+ ms after the confirmation$`));
    expect(p.unsubscribe.detail).toMatch(/^no block_update from 625 ms to 1\.1 s after the unsubscribe: the channel stopped/);
  });

  it('the Phase 3A server (a thread per subscribe, each sending at once) fails doubled and kept streaming, with windows apart', async () => {
    const r = await probeStream('thread-per-subscribe');
    expect(subscriptionProbes(r).filter((p) => !p.pass).map((p) => p.name)).toEqual(['second_subscribe', 'unsubscribe']);
    expectNoOverlap(r);
    const p = byName(r);
    expect(p.second_subscribe.detail).toMatch(new RegExp(`^[4-6] block_update from 625 ms to 1\\.6 s after the second subscribe, where ${single}: `
      + `two per interval, smallest gap \\d+ ms \\(server timestamps\\): the stream doubled; not counted: \\d before 625 ms, one a snapshot on subscribe \\d+ ms after the confirmation$`));
    expect(p.unsubscribe.detail).toMatch(/^[1-6] block_update from 625 ms to 1\.1 s after the unsubscribe \(first at \d+ ms\), where a stopped channel sends none: the channel kept streaming/);
    expect(judgeProbes(r).subscriptions.observed).toBe('2/4 probes pass (failed: second_subscribe, unsubscribe)');
  });

  it('a snapshot the profile does not allow is counted as a message, not named a snapshot', async () => {
    const r = await probeStream('broadcast-snapshot', profileWith(false));
    const p = byName(r);
    expect(p.second_subscribe.pass).toBe(true);
    expect(p.second_subscribe.detail).not.toMatch(/snapshot/);
  });

  it('a second subscribe that stops the channel fails as stopped', async () => {
    const r = await probeStream('second-subscribe-stops');
    const p = byName(r);
    expect(p.second_subscribe.pass).toBe(false);
    expect(p.second_subscribe.detail).toMatch(new RegExp(`^no block_update from 625 ms to 1\\.6 s after the second subscribe, where ${single}: the stream stopped`));
    expectNoOverlap(r);
  });
});
