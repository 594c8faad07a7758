import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { parse } from 'yaml';
import { parseProfile, type ProfileDocument } from '../../src/profile/index.js';
import { runCli } from '../helpers/cli.js';
import { readDuration } from '../../src/source/units.js';

/**
 * A stream of its own (fixtures/learn/pulse-target.mjs), not the simulator, in a shape no built-in profile
 * has: the type under `k`, microsecond stamps under `when`, the payload
 * under `body`, no welcome, no control messages. One channel's `level` is
 * drawn per client (each connection its own random walk); its `n` and
 * `shared` fields are the same for everyone. Learned through the CLI, the
 * profile validates, names no shared field for what each client draws, and
 * a clean run passes.
 */
const dir = mkdtempSync(join(tmpdir(), 'lsb-learn-own-'));
const TARGET = fileURLToPath(new URL('../fixtures/learn/pulse-target.mjs', import.meta.url));
let target: ChildProcess;
let url = '';

beforeAll(async () => {
  target = spawn(process.execPath, [TARGET], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: target.stdout! }).once('line', resolve);
    target.once('exit', (code) => reject(new Error(`the pulse target exited (${code}) before it listened`)));
  });
});

afterAll(async () => {
  if (target.exitCode === null) {
    const exited = new Promise((r) => target.once('exit', r));
    target.kill('SIGTERM');
    await exited;
  }
});

describe('learning a stream of its own shape', () => {
  // retried once by name: its clean run judges a 200 ms cadence on a shared two-core machine
  it('drafts a profile that validates, leaves the per-client field out of shared saying why, and passes a clean run', { retry: 1, timeout: 40_000 }, async () => {
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
    // the target ticks on a 200 ms schedule: within 2 %
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
  });
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
