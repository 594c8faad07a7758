import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { startRun } from '../../src/engine/run.js';
import { defaultSettings } from '../../src/scenario/settings.js';
import { buildReport } from '../../src/verdict/report.js';
import { statusOf } from '../helpers/run.js';

/**
 * An SSE target the harness has never seen, written here with node:http
 * (not the simulator): chunked responses, its own ids (a counter), its own
 * comment text. Clean, it passes; one that ignores Last-Event-ID loses what
 * was sent while a cut client was away, and one whose `event:` field names
 * another type breaks message_types.
 */
const dir = mkdtempSync(join(tmpdir(), 'lsb-sse-target-'));
const profileFile = join(dir, 'beats.yaml');
writeFileSync(profileFile, stringify({
  name: 'beats-test',
  transport: 'sse',
  path: '/beats',
  envelope: { type: 'kind', payload: 'body', timestamp: 'at' },
  sse: { heartbeat: '400ms', retry: '300ms' },
  channels: [{ name: 'beats', type: 'beat', interval: '200ms', rising: ['n'], shared: ['n'], payload: { type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 0 } } } }],
}));

interface Behaviour {
  honourLastEventId: boolean;
  eventName?: string;
}

async function sseTarget(b: Behaviour) {
  const history: Array<{ id: number; text: string }> = [];
  const clients = new Set<ServerResponse>();
  let seq = 0;
  const event = (id: number, text: string) => `${b.eventName ? `event: ${b.eventName}\n` : ''}id: ${id}\ndata: ${text}\n\n`;
  const beat = setInterval(() => {
    seq += 1;
    const text = JSON.stringify({ kind: 'beat', body: { n: seq }, at: Date.now() });
    history.push({ id: seq, text });
    if (history.length > 100) history.shift();
    for (const res of clients) res.write(event(seq, text));
  }, 200);
  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': still here\n\n');
  }, 300);
  const server = createServer((req, res) => {
    if (req.url !== '/beats') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('retry: 300\n\n');
    const last = Number(req.headers['last-event-id']);
    if (b.honourLastEventId && last > 0) for (const h of history) if (h.id > last) res.write(event(h.id, h.text));
    clients.add(res);
    req.on('close', () => clients.delete(res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    // --target takes ws:// and wss:// (the SSE transport reads them as http:// and https://)
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/beats`,
    close: async () => {
      clearInterval(beat);
      clearInterval(heartbeat);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

async function judge(b: Behaviour) {
  const target = await sseTarget(b);
  try {
    const run = startRun(defaultSettings({ target: target.url, profile: profileFile, clients: 6, minClients: 6, rampMs: 200, durationMs: 3500, chaos: { cutShare: 0.5, mode: 'both', atMs: 500 } }));
    return buildReport(await run.result);
  } finally {
    await target.close();
  }
}

describe('an SSE target of node:http', () => {
  test('clean: passes, resumes after cuts without loss, the heartbeat judged; faulty: the ignored Last-Event-ID and the wrong event: are caught', async () => {
    const [clean, ignoring, misnamed] = await Promise.all([judge({ honourLastEventId: true }), judge({ honourLastEventId: false }), judge({ honourLastEventId: true, eventName: 'tick' })]);
    const s = statusOf(clean);
    expect(clean.criteria.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.observed} ${c.detail}`)).toEqual([]);
    for (const id of ['data_loss', 'reconnect', 'keepalive', 'cadence', 'message_types', 'data_consistency']) expect(s[id], id).toBe('pass');
    expect(clean.criteria.find((c) => c.id === 'keepalive')?.detail).toContain('heartbeat');
    for (const id of ['subscriptions', 'error_handling', 'handshake']) expect(s[id], id).toBe('skipped');

    expect(statusOf(ignoring).data_loss).toBe('fail');
    expect(statusOf(ignoring).reconnect).toBe('pass');
    expect(statusOf(misnamed).message_types).toBe('fail');
    expect(statusOf(misnamed).data_loss).toBe('pass');
  }, 30_000);
});
