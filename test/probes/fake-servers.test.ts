import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { runProbes, type ProbeReport } from '../../src/engine/probe-client.js';
import type { TargetProfile } from '../../src/profile/index.js';
import { aurigraphV11 } from '../helpers/profiles.js';
import { judgeProbes } from '../../src/verdict/probes.js';

/**
 * Small hand-written servers that get one part of the protocol wrong, so the
 * error_handling and keepalive probes can be seen to fail. Their profile has
 * every channel start by itself, which leaves out the (slow) subscription
 * probes; those are exercised against the simulator (probe-client.test.ts)
 * and against fake streams (subscription-fakes.test.ts).
 */
const profile: TargetProfile = { ...aurigraphV11, channels: aurigraphV11.channels.map((c) => ({ ...c, autoStart: true })) };

type OnMessage = (ws: WebSocket, text: string) => void;

async function probeFake(onMessage: OnMessage, options: { autoPong?: boolean; replyTimeoutMs?: number } = {}): Promise<ProbeReport> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: options.autoPong ?? true });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  let connections = 0;
  wss.on('connection', (ws) => {
    connections++;
    ws.send(JSON.stringify({ type: 'connection_established', payload: { connectionId: `c${connections}`, timestamp: Date.now() }, timestamp: Date.now() }));
    ws.on('message', (data) => onMessage(ws, data.toString()));
  });
  try {
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/api/v11/live/stream`;
    return await runProbes(url, {}, profile, { replyTimeoutMs: options.replyTimeoutMs });
  } finally {
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }
}

const reply = (ws: WebSocket, type: string, payload: Record<string, unknown>) => ws.send(JSON.stringify({ type, payload, timestamp: Date.now() }));

/** A server that does the protocol right, but for what `override` changes. */
function server(override: Partial<Record<'ping' | 'invalid' | 'subscribe', OnMessage>> = {}): OnMessage {
  return (ws, text) => {
    let msg: { type?: string; channel?: string };
    try {
      msg = JSON.parse(text);
    } catch {
      return (override.invalid ?? ((w) => reply(w, 'error', { error: 'Invalid message format' })))(ws, text);
    }
    if (msg.type === 'ping') return (override.ping ?? ((w) => reply(w, 'pong', { timestamp: Date.now() })))(ws, text);
    if (msg.type === 'subscribe') {
      return (override.subscribe ?? ((w) => (msg.channel ? reply(w, 'error', { error: `Unknown channel: ${msg.channel}` }) : reply(w, 'error', { error: 'Channel not specified' }))))(ws, text);
    }
  };
}

const failed = (r: ProbeReport) => r.probes.filter((p) => !p.pass).map((p) => p.name);
const byName = (r: ProbeReport) => Object.fromEntries(r.probes.map((p) => [p.name, p]));

describe.concurrent('probes against servers that get the protocol wrong', () => {
  it('a correct fake passes error_handling and keepalive', async () => {
    const r = await probeFake(server());
    expect(failed(r)).toEqual([]);
    expect(judgeProbes(r).error_handling.status).toBe('pass');
  });

  it('no pong and no pong frame: keepalive fails, both probes named', async () => {
    const r = await probeFake(server({ ping: () => {} }), { autoPong: false });
    expect(failed(r)).toEqual(['app_ping', 'ws_ping']);
    const j = judgeProbes(r);
    expect(j.keepalive.status).toBe('fail');
    expect(j.keepalive.detail).toMatch(/app_ping: no pong within 1000 ms; ws_ping: no pong frame within 1000 ms/);
    // a server deaf to pings is still open: error_handling is not blamed for keepalive
    expect(j.error_handling.status).toBe('pass');
  });

  it('a pong after 1.2 s fails app_ping even when the probe waits longer for it', async () => {
    const r = await probeFake(server({ ping: (w) => setTimeout(() => reply(w, 'pong', { timestamp: Date.now() }), 1200) }), { replyTimeoutMs: 2000 });
    expect(failed(r)).toEqual(['app_ping']);
    expect(byName(r).app_ping.detail).toMatch(/^pong after 1[23]\d\d ms$/);
    expect(byName(r).app_ping.received).toMatch(/"type":"pong"/);
  });

  it('closing on bad JSON fails error_handling; the next group gets a new connection', async () => {
    const r = await probeFake(server({ invalid: (w) => w.close(1003, 'bad json') }));
    expect(failed(r)).toEqual(['invalid_json', 'subscribe_without_channel', 'unknown_channel']);
    const p = byName(r);
    expect(p.invalid_json.detail).toBe('no error reply within 1000 ms; the connection did not stay open; the target closed the connection (code 1003 "bad json")');
    expect(p.subscribe_without_channel.notRun).toMatch(/closed the connection \(code 1003\)/);
    expect(judgeProbes(r).error_handling.observed).toBe('0/3 probes pass (failed: invalid_json, subscribe_without_channel, unknown_channel)');
    expect(judgeProbes(r).keepalive.status).toBe('pass');
    expect(r.connections).toBe(1); // keepalive ran first; nothing after error_handling needed a reopen
  });

  it('an error reply without text, and a confirmed unknown channel, fail error_handling', async () => {
    const r = await probeFake(server({
      invalid: (w) => reply(w, 'error', { error: '' }),
      subscribe: (w, text) => {
        const channel = (JSON.parse(text) as { channel?: string }).channel;
        if (channel) reply(w, 'subscription_confirmed', { channel, status: 'subscribed' });
        else reply(w, 'error', {});
      },
    }));
    expect(failed(r)).toEqual(['invalid_json', 'subscribe_without_channel', 'unknown_channel']);
    const p = byName(r);
    expect(p.invalid_json.detail).toBe('the error reply has no text in error');
    expect(p.unknown_channel.detail).toMatch(/^subscription_confirmed for a channel that does not exist/);
  });

  it('silence to an unknown channel is tolerated while the connection stays open', async () => {
    const r = await probeFake(server({ subscribe: (w, text) => ((JSON.parse(text) as { channel?: string }).channel ? undefined : reply(w, 'error', { error: 'Channel not specified' })) }));
    expect(failed(r)).toEqual([]);
    expect(byName(r).unknown_channel.detail).toMatch(/^no reply after 10\d\d ms, connection still open$/);
  });
});
