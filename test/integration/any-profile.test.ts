import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BIN, runCli } from '../helpers/cli.js';

/**
 * A stream of a shape no code of the tool has seen, described only in a
 * profile file written here: `serve --profile f` serves it and `run
 * --profile f` judges it, clean and faulty, with no source change.
 */
const dir = mkdtempSync(join(tmpdir(), 'lsb-any-profile-'));

function profile(invariants: string[]) {
  return {
    name: 'greenhouse',
    path: '/sensors/live',
    defaultPort: 7311,
    fallback: '/sensors/latest',
    envelope: { type: 'kind', payload: 'body', timestamp: 'at', timestampUnit: 'us' },
    welcome: { type: 'ready', idField: 'sid' },
    replies: {
      subscribed: { type: 'joined', channelField: 'room' },
      pong: { type: 'alive', timestampField: 'clock' },
      error: { type: 'oops', textField: 'why' },
    },
    control: { subscribe: { action: 'join', room: '{channel}' }, unsubscribe: { action: 'leave', room: '{channel}' }, ping: { action: 'alive?' } },
    channels: [
      {
        name: 'climate',
        type: 'reading',
        interval: '750ms',
        autoStart: true,
        shared: ['celsius', 'humidity', 'lo', 'hi'],
        invariants,
        payload: {
          type: 'object',
          required: ['celsius', 'humidity', 'lo', 'hi', 'zone'],
          properties: {
            celsius: { type: 'number', minimum: -10, maximum: 45 },
            humidity: { type: 'integer', minimum: 0, maximum: 100 },
            lo: { type: 'number', minimum: -10, maximum: 45 },
            hi: { type: 'number', minimum: -10, maximum: 45 },
            zone: { enum: ['north', 'south', 'glass'] },
          },
        },
      },
      {
        name: 'watering',
        type: 'valve',
        interval: '1500ms',
        rising: ['litres'],
        shared: ['litres', 'open'],
        payload: {
          type: 'object',
          required: ['litres', 'open', 'valveId'],
          properties: { litres: { type: 'integer', minimum: 0 }, open: { type: 'boolean' }, valveId: { type: 'string', pattern: '^V-[0-9]{3}$' } },
        },
      },
    ],
    messages: {
      ready: { type: 'object', required: ['sid'], properties: { sid: { type: 'string', minLength: 4 } } },
      joined: { type: 'object', required: ['room'], properties: { room: { type: 'string' } } },
      alive: { type: 'object', required: ['clock'], properties: { clock: { type: 'integer' } } },
      oops: { type: 'object', required: ['why'], properties: { why: { type: 'string', minLength: 1 } } },
    },
  };
}

/** A bare broadcast feed: no welcome, no replies, no control messages at all. */
const minimal = join(dir, 'minimal.json');
writeFileSync(minimal, JSON.stringify({
  name: 'bare-feed',
  path: '/feed',
  envelope: { type: 't', payload: 'p', timestamp: 'ts' },
  channels: [
    { name: 'beats', type: 'beat', interval: '500ms', rising: ['n'], shared: ['n', 'level'], payload: { type: 'object', required: ['n', 'level'], properties: { n: { type: 'integer', minimum: 0 }, level: { type: 'number', minimum: 0, maximum: 1 } } } },
  ],
}));

const clean = join(dir, 'greenhouse.yaml');
const strict = join(dir, 'greenhouse-strict.yaml');
writeFileSync(clean, stringify(profile(['lo <= hi', 'celsius >= lo and celsius <= hi'])));
// the same stream, judged by a profile that asks for what its data never does
writeFileSync(strict, stringify(profile(['lo <= hi', 'humidity > 100 or celsius > hi'])));

let server: ChildProcess;
let url = '';
let httpUrl = '';

beforeAll(async () => {
  server = spawn(process.execPath, [BIN, 'serve', '--profile', clean, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  url = /wss?:\/\/\S+/.exec(line)![0];
  httpUrl = url.replace(/^ws/, 'http').replace(/\/sensors\/live$/, '');
});

afterAll(() => {
  server?.kill('SIGTERM');
});

async function judge(args: string[]) {
  const out = mkdtempSync(join(dir, 'run-'));
  const r = await runCli(['run', '-c', '10', '-d', '6s', '--ramp', '500ms', '--chaos', 'off', '--out', out, '--format', 'json', ...args]);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { verdict: string; criteria: { id: string; status: string; detail: string }[] };
  const status = Object.fromEntries(report.criteria.map((c) => [c.id, c.status]));
  return { code: r.code, report, status, failing: report.criteria.filter((c) => c.status === 'fail').map((c) => c.id), stderr: r.stderr };
}

describe.concurrent('a profile the code has never seen', () => {
  it('serve --profile serves it on its own path', () => {
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/sensors\/live$/);
  });

  it('run --profile judges the clean stream: every measured criterion passes', async () => {
    const r = await judge(['--target', url, '--profile', clean, '--fallback-url', `${httpUrl}/sensors/latest`]);
    expect(r.failing, r.stderr).toEqual([]);
    expect(r.report.verdict).toBe('pass');
    expect(r.code).toBe(0);
    for (const id of ['connect', 'handshake', 'message_types', 'cadence', 'data_consistency', 'subscriptions', 'error_handling', 'keepalive', 'fallback', 'latency', 'data_loss']) {
      expect(r.status[id], id).toBe('pass');
    }
  });

  it('the embedded simulator serves the same file, and --sim-fault drop=5% fails data_loss', async () => {
    const r = await judge(['--profile', clean, '--sim-fault', 'drop=5%', '--no-probes']);
    expect(r.failing).toContain('data_loss');
    expect(r.code).toBe(1);
  });

  it('a broken invariant fails data_consistency, naming the expression and the values', async () => {
    const r = await judge(['--target', url, '--profile', strict, '--no-probes']);
    expect(r.failing).toEqual(['data_consistency']);
    const detail = r.report.criteria.find((c) => c.id === 'data_consistency')!.detail;
    expect(detail).toContain('humidity > 100 or celsius > hi');
    expect(detail).toMatch(/humidity=\d+/);
  });
});

describe('a profile that leaves out every optional part', () => {
  it('validates, streams by itself, and skips what needs a welcome or control messages, with the reason', async () => {
    const v = await runCli(['validate', '--profile', minimal]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const r = await judge(['--profile', minimal]);
    expect(r.failing, r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    for (const id of ['connect', 'message_types', 'cadence', 'data_consistency', 'latency', 'data_loss', 'keepalive']) expect(r.status[id], id).toBe('pass');
    const detail = (id: string) => r.report.criteria.find((c) => c.id === id)!;
    expect(detail('handshake')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('no welcome') });
    expect(detail('error_handling')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('no error reply') });
    expect(detail('subscriptions').status).toBe('skipped');
    expect(detail('keepalive').detail).toContain('app_ping skipped: the profile has no control.ping');
  });
});
