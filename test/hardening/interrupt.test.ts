import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Socket } from 'node:net';
import { BIN } from '../helpers/cli.js';
import { expectNoStack, expectNoTmp, PATH, readReport, tmpOut } from './helpers.js';

/**
 * Ctrl-C and SIGTERM: the run stops within a second or two, closes its
 * clients, writes the partial report marked interrupted and exits 130; a
 * second signal leaves at once (and takes the embedded simulator with it);
 * report files are renamed into place, so none is ever half written.
 */
const LONG = ['--clients', '4', '--min-clients', '1', '--duration', '60s', '--ramp', '0', '--no-probes', '--chaos', 'off'];
/** Clients are open this long after the start line; a second is plenty on loopback. */
const SETTLE_MS = 1500;

interface Signalled {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ms from the last signal sent to the exit */
  exitMs: number;
  /** the embedded simulator's pid, when there was one */
  simPid?: number;
}

/** Stat fields after the command name: state, ppid, ... */
function stat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The `serve` child of a run: the embedded simulator. */
function simulatorOf(pid: number): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(stat(Number(d))?.[1]) !== pid) continue;
    const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
    if (cmd.includes('serve')) return Number(d);
  }
  return undefined;
}

/** Gone, or a zombie nobody reaped (init in a container may not). */
const alive = (pid: number) => {
  const s = stat(pid);
  return s !== undefined && s[0] !== 'Z';
};

/**
 * Starts a run and, SETTLE_MS after its start line (or once `ready`
 * resolves), sends `signal`; with `again`, sends it a second time as soon as
 * the first is acknowledged. `group` signals the whole process group, as a
 * terminal's Ctrl-C does.
 */
function interrupted(args: string[], signal: NodeJS.Signals, options: { again?: boolean; group?: boolean; ready?: Promise<unknown> } = {}): Promise<Signalled> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: options.group });
    const send = () => {
      sentAt = Date.now();
      if (options.group) process.kill(-child.pid!, signal);
      else child.kill(signal);
    };
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    let simPid: number | undefined;
    let phase: 'starting' | 'settling' | 'sent' | 'again' = 'starting';
    const settle = (ms: number) => {
      phase = 'settling';
      setTimeout(() => {
        simPid = simulatorOf(child.pid!);
        phase = 'sent';
        send();
      }, ms);
    };
    void options.ready?.then(() => settle(300));
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (phase === 'starting' && !options.ready && /client\(s\) against/.test(stderr)) {
        settle(SETTLE_MS);
      } else if (phase === 'sent' && options.again && /interrupted: closing clients/.test(stderr)) {
        phase = 'again';
        send();
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, exitMs: Date.now() - sentAt, simPid }));
  });
}

/**
 * A target that welcomes, sends nothing more and never answers the close:
 * a graceful stop waits out the close timeout. `opened(n)` resolves once n
 * connections came in.
 */
async function deafTarget(): Promise<{ url: string; opened(n: number): Promise<void>; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: PATH });
  let count = 0;
  const waiting: { n: number; resolve: () => void }[] = [];
  wss.on('connection', (ws: WebSocket) => {
    count += 1;
    for (const w of waiting) if (count >= w.n) w.resolve();
    ws.send(JSON.stringify({ type: 'connection_established', payload: { connectionId: '123e4567-e89b-12d3-a456-426614174000', timestamp: Date.now() }, timestamp: Date.now() }));
    (ws as unknown as { _socket: Socket })._socket.pause();
  });
  await new Promise((r) => wss.once('listening', r));
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}${PATH}`,
    opened: (n) => new Promise((resolve) => (count >= n ? resolve() : waiting.push({ n, resolve }))),
    close: () =>
      new Promise((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

describe.concurrent('interruption (the real bin)', () => {
  it('SIGTERM: partial report marked interrupted, exit 130 within 2 s, the embedded simulator stopped', async () => {
    const dir = tmpOut();
    const r = await interrupted([...LONG, '--out', dir, '--json'], 'SIGTERM');
    expect(r.code, r.stderr).toBe(130);
    expect(r.exitMs).toBeLessThan(2000);
    expect(r.stderr).toContain('interrupted: closing clients and writing the partial report');
    expectNoStack({ ...r, signal: null });
    const report = readReport(dir);
    expect(report.interrupted).toBe(true);
    // an interrupted run is no pass, in every report: inconclusive, or fail
    // when a criterion failed already (a loaded machine may slow the stream)
    const { verdict } = report as unknown as { verdict: string };
    expect(['inconclusive', 'fail']).toContain(verdict);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).not.toMatch(/PASS/);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<error message="interrupted/);
    expect(r.stderr).toMatch(/verdict: (INCONCLUSIVE|FAIL) \(interrupted\) - interrupted/);
    expect(report.metrics.clients.connectedFirstTry).toBe(4);
    expect(JSON.parse(r.stdout).interrupted).toBe(true);
    expectNoTmp(dir);
    expect(r.simPid).toBeDefined();
    expect(alive(r.simPid!)).toBe(false);
  });

  it('Ctrl-C in a terminal (SIGINT to the whole process group): the simulator\'s own shutdown is not blamed on the target', async () => {
    const dir = tmpOut();
    const r = await interrupted([...LONG, '--out', dir], 'SIGINT', { group: true });
    expect(r.code, r.stderr).toBe(130);
    expect(r.exitMs).toBeLessThan(2000);
    const report = readReport(dir) as ReturnType<typeof readReport> & { metrics: { disconnects: { unintended: number } } };
    expect(report.interrupted).toBe(true);
    expect(report.metrics.disconnects.unintended).toBe(0);
    expectNoTmp(dir);
  });

  it('a second Ctrl-C exits at once (130), even while clients wait out a close the target never answers', async () => {
    const target = await deafTarget();
    closers.push(target.close);
    const dir = tmpOut();
    // the clock probe and 4 clients; with --target the start line never shows (see the note in docs/bad-input.md)
    const r = await interrupted([...LONG, '--connect-timeout', '1s', '--target', target.url, '--out', dir], 'SIGINT', { again: true, ready: target.opened(5) });
    expect(r.code, r.stderr).toBe(130);
    // the graceful stop would take the 2 s close timeout; the second signal does not wait for it
    expect(r.exitMs).toBeLessThan(1000);
    expect(existsSync(join(dir, 'report.json'))).toBe(false);
    expectNoTmp(dir);
  });

  // KNOWN BUG (engine), expected to fail until fixed: a signal before the
  // clients start (here during the clock probe) is lost. LoadDriver.stop()
  // only calls a `done` that drive() has not set yet, so the run goes on for
  // its whole length. Turn this into `it` once the engine keeps the stop.
  it('a signal during the clock probe stops the run within 2 s', async () => {
    const target = await deafTarget();
    closers.push(target.close);
    const dir = tmpOut();
    const r = await interrupted([...LONG, '--duration', '3s', '--connect-timeout', '3s', '--target', target.url, '--out', dir], 'SIGTERM', { ready: target.opened(1) });
    expect(r.code, r.stderr).toBe(130);
    expect(readReport(dir).interrupted).toBe(true);
    expect(r.exitMs).toBeLessThan(2000);
  });

  it('a second SIGTERM takes the embedded simulator with it', async () => {
    const dir = tmpOut();
    const r = await interrupted([...LONG, '--out', dir], 'SIGTERM', { again: true });
    expect(r.code, r.stderr).toBe(130);
    expect(r.simPid).toBeDefined();
    await new Promise((res) => setTimeout(res, 300));
    expect(alive(r.simPid!)).toBe(false);
    // whether the report was written before the second signal or not, it is whole or absent
    if (existsSync(join(dir, 'report.json'))) expect(readReport(dir).interrupted).toBe(true);
    expectNoTmp(dir);
  });
});
