import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { bannerTarget, expectNoStack, expectNoTmp, plainHttpTarget, plainWsTarget, readReport, refusedUrl, rejectingTarget, resettingTarget, SHORT, silentTarget, statusOf, tlsWsTarget, tmpOut, PATH, type ReportJson, type Target } from './helpers.js';
import { makeCerts, type Certs } from './certs.js';

/**
 * Targets that cannot be reached or refuse the upgrade: each is judged
 * (`connect` fails, exit 1), named in plain words on the terminal and as a
 * class in report.metrics.connectErrors, and never crashes the harness.
 * A failure no retry can mend (DNS, TLS, HTTP 2xx/3xx/4xx) stops the run at
 * once with "cannot connect to the target: <reason>"; refusals, timeouts,
 * resets and 5xx are retried for the run's length, and the connect
 * criterion's detail names them.
 */
interface Judged {
  r: CliResult;
  report: ReportJson;
  dir: string;
  wallMs: number;
}

async function judge(url: string, extra: string[] = []): Promise<Judged> {
  const dir = tmpOut();
  const started = Date.now();
  const r = await runCli([...SHORT, '--target', url, '--out', dir, ...extra]);
  const wallMs = Date.now() - started;
  expectNoStack(r);
  expectNoTmp(dir);
  return { r, report: readReport(dir), dir, wallMs };
}

/** A failure that stops the run at once: a 30 s run ends in seconds. */
async function expectStopsAtOnce(url: string, kind: string, line: string): Promise<Judged> {
  const j = await judge(url, ['--duration', '30s']);
  expect(j.r.code, j.r.stderr).toBe(1);
  expect(j.r.stderr).toContain(`livestream-bench: cannot connect to the target: ${line}`);
  expect(j.report.metrics.connectErrors[kind]).toBe(2);
  expect(statusOf(j.report, 'connect')).toBe('fail');
  expect(j.wallMs).toBeLessThan(10_000);
  return j;
}

/** A failure retried for the run's length: the connect criterion's detail names it. */
async function expectRetried(url: string, kind: string, words: string, extra: string[] = []): Promise<Judged> {
  const j = await judge(url, extra);
  expect(j.r.code, j.r.stderr).toBe(1);
  // folded under the connect row, wrapped to the terminal's width
  const flat = j.r.stdout.replace(/\s+/g, ' ');
  expect(flat).toContain(`↳ failed attempts: ${words} x`);
  expect(flat.indexOf('connect FAIL')).toBeGreaterThanOrEqual(0);
  expect(flat.indexOf('connect FAIL')).toBeLessThan(flat.indexOf('↳ failed attempts'));
  expect(j.report.metrics.connectErrors[kind]).toBeGreaterThanOrEqual(2);
  expect(statusOf(j.report, 'connect')).toBe('fail');
  expect(j.report.criteria.find((c) => c.id === 'connect')?.detail).toContain(words);
  return j;
}

const targets: Target[] = [];
async function open(t: Promise<Target>): Promise<string> {
  const target = await t;
  targets.push(target);
  return target.url;
}

let certs: Certs;
beforeAll(() => {
  certs = makeCerts();
});

afterAll(async () => {
  await Promise.all(targets.map((t) => t.close()));
  certs?.remove();
});

describe.concurrent('unreachable or refusing targets (the real bin)', () => {
  it('DNS failure: a name under .invalid', async () => {
    await expectStopsAtOnce(`ws://lsb-hardening.invalid${PATH}`, 'dns', 'host name not found');
  });

  it('connection refused', async () => {
    await expectRetried(await refusedUrl(), 'refused', 'connection refused');
  });

  it('connect timeout: TCP accepted, the upgrade never answered', async () => {
    // 3 s: both attempts of each client time out (at 1 s and 2.1 s) well inside the run
    const j = await expectRetried(await open(silentTarget()), 'timeout', 'no answer within the connect timeout', ['--duration', '3s']);
    expect(j.report.metrics.connectErrors).toEqual({ timeout: 4 });
    expect(j.wallMs).toBeLessThan(15_000);
  });

  // A retry still connecting when the run ends is stopped by the harness:
  // that is no connect error of the target's (the client ignores errors after stop()).
  it('a silent target yields timeouts only, not the harness\'s own aborts', async () => {
    // 1 s: the retries (from 1.1 s) are still connecting when the run ends
    const j = await judge(await open(silentTarget()));
    expect(j.report.metrics.connectErrors).toEqual({ timeout: expect.any(Number) });
  });

  it('connection reset on accept', async () => {
    await expectRetried(await open(resettingTarget()), 'reset', 'connection reset by the target');
  });

  it('HTTP 401 on the upgrade', async () => {
    await expectStopsAtOnce(await open(rejectingTarget(401)), 'http_401', 'HTTP 401 on the upgrade: the target wants credentials (--token-env or --header)');
  });

  it('HTTP 403 on the upgrade', async () => {
    await expectStopsAtOnce(await open(rejectingTarget(403)), 'http_403', 'HTTP 403 on the upgrade: the target refused these credentials');
  });

  it('HTTP 404 on the upgrade', async () => {
    await expectStopsAtOnce(await open(rejectingTarget(404)), 'http_404', 'HTTP 404 on the upgrade: no stream at this path');
  });

  it('HTTP 503 on the upgrade', async () => {
    await expectRetried(await open(rejectingTarget(503)), 'http_503', 'HTTP 503 on the upgrade');
  });

  it('HTTP 200: a web page, not a WebSocket endpoint', async () => {
    await expectStopsAtOnce(await open(plainHttpTarget(200)), 'http_200', 'HTTP 200 on the upgrade: not a WebSocket endpoint');
  });

  it('HTTP 301: a redirect, which is not followed', async () => {
    await expectStopsAtOnce(await open(plainHttpTarget(301)), 'http_301', 'HTTP 301 on the upgrade: a redirect, which is not followed (use the final URL)');
  });

  it('a TCP server that sends a banner, not HTTP: the run stops once every first attempt failed so', async () => {
    // 12 clients over 2 s, 30 s steady: every first open fails the same way, so the run ends at 5 s, not after 35
    const j = await judge(await open(bannerTarget()), ['--clients', '12', '--ramp', '2s', '--duration', '30s']);
    const cause = 'the target does not answer in HTTP: not a WebSocket server';
    expect(j.r.code, j.r.stderr).toBe(1);
    expect(j.r.stderr).toContain(`livestream-bench: cannot connect to the target: ${cause}`);
    // the detail is folded under the connect row (and wrapped to the width)
    expect(j.r.stdout.replace(/\s+/g, ' ')).toContain(`↳ failed attempts: ${cause}`);
    expect(j.report.metrics.connectErrors.not_http).toBeGreaterThanOrEqual(12);
    expect(statusOf(j.report, 'connect')).toBe('fail');
    expect(j.report.criteria.find((c) => c.id === 'connect')?.detail).toContain('stopped early');
    // the whole plan would take 32 s and more (ramp, steady, drain)
    expect(j.wallMs).toBeLessThan(25_000);
  });

  it('wss:// to a plain ws:// server', async () => {
    const url = (await open(plainWsTarget())).replace('ws://', 'wss://');
    await expectStopsAtOnce(url, 'tls_not_tls', 'the target does not speak TLS (use ws:// rather than wss://)');
  });

  it('ws:// to a wss:// server', async () => {
    const url = (await open(tlsWsTarget(certs.self.cert, certs.self.key))).replace('wss://', 'ws://');
    await expectRetried(url, 'reset', 'connection reset by the target');
  });
});

describe.concurrent('an output folder that cannot be written: exit 2, found before anything runs', () => {
  it('--out names a folder under a regular file', async () => {
    const dir = tmpOut();
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await runCli([...SHORT, '--out', join(dir, 'a-file', 'sub')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`livestream-bench: --out ${join(dir, 'a-file', 'sub')}: ${join(dir, 'a-file')} is a file, not a folder`);
    // nothing ran: no start line, no simulator, no report
    expect(r.stderr).not.toContain('client(s) against');
    expect(readdirSync(dir)).toEqual(['a-file']);
    expectNoStack(r);
  });

  it('--save-baseline names a file under a regular file', async () => {
    const dir = tmpOut();
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await runCli([...SHORT, '--out', dir, '--save-baseline', join(dir, 'a-file', 'baseline.json')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`livestream-bench: --save-baseline ${join(dir, 'a-file', 'baseline.json')}: ${join(dir, 'a-file')} is a file, not a folder`);
    expect(r.stderr).not.toContain('client(s) against');
    // the --out folder was tried and left as it was: no probe, no report
    expect(readdirSync(dir)).toEqual(['a-file']);
    expectNoStack(r);
  });

  it('--save-baseline names a file that is no baseline: it is kept as it was', async () => {
    const dir = tmpOut();
    const notes = join(dir, 'notes.json');
    writeFileSync(notes, '{"todo": "keep me"}\n');
    const r = await runCli([...SHORT, '--out', join(dir, 'out'), '--save-baseline', notes]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`livestream-bench: --save-baseline ${notes}: is there and is not a livestream-bench baseline or report`);
    expect(r.stderr).not.toContain('client(s) against');
    expect(readFileSync(notes, 'utf8')).toBe('{"todo": "keep me"}\n');
    expect(readdirSync(dir)).toEqual(['notes.json']);
    expectNoStack(r);
  });
});
