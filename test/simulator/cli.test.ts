import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeCert, type Cert } from './cert.js';
import { Probe } from './probe.js';
import { DIST, serve } from './serve-child.js';

/** `livestream-bench serve` as scripts use it: the real bin, built by `pretest`. */

let cert: Cert;
beforeAll(() => {
  cert = makeCert();
});
afterAll(() => cert?.remove());

// One at a time: five Node processes starting at once would starve the timing tests.
describe('serve command', () => {
  test('prints its ws:// URL first, serves it, and exits 0 on SIGTERM', async () => {
    expect(existsSync(DIST), 'build first (npm test runs the build in pretest)').toBe(true);
    const s = serve(['--port', '0', '--seed', '3', '--fault', 'duplicate=0%']);
    const line = await s.firstLine;
    expect(line).toMatch(/^livestream-bench simulator listening on ws:\/\/127\.0\.0\.1:\d+\/api\/v11\/live\/stream$/);
    const url = await s.url();
    const [, streams, rest] = await s.lines(3);
    expect(streams).toBe(`  streams ${url}`);
    expect(rest).toMatch(/^ {2}snapshot http:\/\/127\.0\.0\.1:\d+\/api\/v11\/live\/snapshot {2}health /);
    const p = await Probe.open(url);
    await p.collect('connection_established', 1, 3000);
    expect(s.stderr()).toMatch(/^admin token: \S{20,}$/m);
    expect(s.stderr()).toMatch(/^faults: duplicate=0%$/m);
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect((await p.closed).code).toBe(1001);
  });

  test('SIGINT stops it cleanly too; a given admin token is not echoed', async () => {
    const s = serve(['--port', '0', '--admin-token', 'hush-hush']);
    await s.firstLine;
    s.child.kill('SIGINT');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.stderr()).not.toContain('hush-hush');
  });

  test('--tls-cert/--tls-key: the first line carries the wss:// URL, and a client trusting the certificate streams; --token guards it', async () => {
    const s = serve(['--port', '0', '--tls-cert', cert.certPath, '--tls-key', cert.keyPath, '--token', 'secret-t']);
    try {
      expect(await s.firstLine).toMatch(/^livestream-bench simulator listening on wss:\/\/127\.0\.0\.1:\d+\/api\/v11\/live\/stream$/);
      const [, , rest] = await s.lines(3);
      expect(rest).toMatch(/snapshot https:\/\//);
      const url = await s.url();
      await expect(Probe.open(url, { ca: cert.cert })).rejects.toThrow(/401/);
      const p = await Probe.open(url, { ca: cert.cert, headers: { authorization: 'Bearer secret-t' } });
      await p.collect('tps_update', 1, 2500);
      expect(s.stderr()).not.toContain('secret-t');
    } finally {
      await s.stop();
    }
  });

  test.each([
    [['--fault', 'drop=lots'], /bad fault "drop=lots"/],
    [['--port', 'ninety'], /--port must be 0-65535/],
    [['--seed', '1.5'], /--seed must be a whole number/],
    [['--tls-cert', 'x.pem'], /--tls-cert and --tls-key go together/],
    [['--tls-cert', '/nonexistent/c.pem', '--tls-key', '/nonexistent/k.pem'], /--tls-cert \/nonexistent\/c\.pem: no such file/],
    [['--host', '127.0.0.1,127.0.0.1'], /host lists 127\.0\.0\.1 twice/],
    // the user's address is wrong: bad configuration, not a harness that could not run (3)
    [['--host', 'no-such-host.invalid'], /^livestream-bench: cannot listen on no-such-host\.invalid:9003: ENOTFOUND \(no such host name\)$/m],
    // the default port is the profile's
    [['--profile', 'ticker-demo', '--host', 'no-such-host.invalid'], /cannot listen on no-such-host\.invalid:8080: ENOTFOUND/],
    [['--profile', 'no-such-profile'], /unknown profile "no-such-profile": give a file \(YAML or JSON\) or one of aurigraph-v11, gridwatch-sse, ticker-demo/],
  ])('serve %j exits 2 with one line', async (args, message) => {
    const s = serve(args);
    const { code } = await s.exited;
    expect(code).toBe(2);
    expect(s.stderr().trim().split('\n')).toHaveLength(1);
    expect(s.stderr()).toMatch(message);
  });

  test('--profile with a file that has problems exits 2 and lists each at its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsb-profile-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'name: broken\npath: /x\nenvelope: { type: t, payload: p, timestamp: ts }\nchannels: []\n');
    try {
      const s = serve(['--profile', file, '--port', '0']);
      expect((await s.exited).code).toBe(2);
      expect(s.stderr()).toMatch(/broken\.yaml:\d+:\d+: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
