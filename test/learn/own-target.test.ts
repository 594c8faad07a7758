import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { parse } from 'yaml';
import { parseProfile, type ProfileDocument } from '../../src/profile/index.js';
import { runCli } from '../helpers/cli.js';
import { readDuration } from '../../src/source/units.js';

/**
 * A stream written here, not the simulator, in a shape no built-in profile
 * has: the type under `k`, microsecond stamps under `when`, the payload
 * under `body`, no welcome, no control messages. One channel's `level` is
 * drawn per client (each connection its own random walk); its `n` and
 * `shared` fields are the same for everyone. Learned through the CLI, the
 * profile validates, names no shared field for what each client draws, and
 * a clean run passes.
 */
const dir = mkdtempSync(join(tmpdir(), 'lsb-learn-own-'));
let server: WebSocketServer;
let url = '';
let timer: NodeJS.Timeout;

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/pulse' });
  await new Promise((r) => server.once('listening', r));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/pulse`;
  let tick = 0;
  const levels = new Map<object, number>();
  server.on('connection', (ws) => levels.set(ws, Math.random() * 50 + 25));
  // one tick every 200 ms on a shared clock: a counter and a gauge for all, a level per client
  timer = setInterval(() => {
    tick += 1;
    const when = Date.now() * 1000;
    const gauge = Math.round(500 + 100 * Math.sin(tick / 7));
    for (const ws of server.clients) {
      const level = Math.max(0, Math.min(100, levels.get(ws)! + (Math.random() - 0.5) * 10));
      levels.set(ws, level);
      ws.send(JSON.stringify({ k: 'pulse', when, body: { n: tick, gauge, level: Math.round(level * 100) / 100 } }));
    }
  }, 200);
});

afterAll(async () => {
  clearInterval(timer);
  for (const ws of server.clients) ws.terminate();
  await new Promise((r) => server.close(r));
});

describe('learning a stream of its own shape', () => {
  it('drafts a profile that validates, leaves the per-client field out of shared saying why, and passes a clean run', async () => {
    const out = join(dir, 'pulse.yaml');
    const learned = await runCli(['learn', '--target', url, '-d', '3s', '--out', out]);
    expect(learned.code, learned.stderr).toBe(0);
    expect(learned.stderr).toMatch(/learn \d+s: \d+ message\(s\): pulse \d+/);
    const text = readFileSync(out, 'utf8');
    expect(parseProfile(text).problems).toEqual([]);
    const doc = parse(text) as ProfileDocument;
    expect(doc.envelope).toEqual({ type: 'k', payload: 'body', timestamp: 'when', timestampUnit: 'us' });
    expect(doc.welcome).toBeUndefined();
    const ch = doc.channels[0];
    expect(ch).toMatchObject({ type: 'pulse', autoStart: true, rising: ['n'] });
    // the target stamps its ticks with setInterval's own drift: within 2 % of 200 ms
    expect(Math.abs((readDuration(ch.interval) as number) - 200)).toBeLessThanOrEqual(4);
    expect(ch.shared).toEqual(['n', 'gauge']);
    // comments wrap at 100 columns: read them as one line
    expect(text.replace(/\n\s*#/g, '')).toMatch(/not shared, drawn per client \(clients saw other values at the same tick\): level differed in \d+ of \d+/);
    expect(text).toContain('no pong: no ping was sent');

    const runOut = mkdtempSync(join(dir, 'run-'));
    const r = await runCli(['run', '--target', url, '--profile', out, '-c', '10', '-d', '3s', '--ramp', '300ms', '--chaos', 'off', '--out', runOut, '--format', 'json']);
    const report = JSON.parse(readFileSync(join(runOut, 'report.json'), 'utf8')) as { verdict: string; criteria: { id: string; status: string }[] };
    expect(report.criteria.filter((c) => c.status === 'fail').map((c) => c.id), r.stderr).toEqual([]);
    expect(r.code).toBe(0);
  }, 40_000);
});

describe('a target learn cannot read', () => {
  const frames = (send: (ws: import('ws').WebSocket) => void) => async () => {
    const s = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => s.once('listening', r));
    s.on('connection', send);
    try {
      return await runCli(['learn', '--target', `ws://127.0.0.1:${(s.address() as AddressInfo).port}/`, '-d', '1s', '--out', join(dir, 'never.yaml')]);
    } finally {
      for (const ws of s.clients) ws.terminate();
      await new Promise((r) => s.close(r));
    }
  };

  it.concurrent.each([
    ['sends nothing', () => undefined, /learn: the target sent nothing in 1(\.\d)?s over 2 connection\(s\)/],
    ['sends text that is not JSON', (ws: import('ws').WebSocket) => ws.send('hello there'), /none of the \d+ frames the target sent is a JSON object/],
    ['sends binary frames', (ws: import('ws').WebSocket) => ws.send(Buffer.from([1, 2, 3])), /binary frames only/],
  ] as const)('one that %s ends with one clear line and exit 1', async (_what, send, line) => {
    const r = await frames(send)();
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('livestream-bench:'))).toHaveLength(1);
    expect(r.stderr).toMatch(line);
  });

  it.concurrent.each([
    [['learn'], /learn needs --target/],
    [['learn', '--target', 'ws://127.0.0.1:1/', '--send', '{nope'], /--send #1 is not JSON/],
    [['learn', '--target', 'ws://127.0.0.1:1/', '--duration', '5'], /--duration/],
    [['learn', '--target', 'ws://127.0.0.1:1/', '--format', 'xml'], /--format must be yaml or asyncapi/],
  ])('bad flags %j exit 2', async (args, line) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(line);
  });
});
