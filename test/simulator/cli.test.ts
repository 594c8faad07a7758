import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Probe } from './probe.js';

/** `livestream-bench serve` as scripts use it: the real bin, built by `pretest`. */

const BIN = fileURLToPath(new URL('../../bin/livestream-bench.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function serve(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('close', () => reject(new Error(`exited before printing: ${stderr}`)));
  });
  firstLine.catch(() => {}); // tests of failing starts never read it
  return { child, exited, firstLine, stderr: () => stderr };
}

// One at a time: five Node processes starting at once would starve the timing tests.
describe('serve command', () => {
  test('prints its ws:// URL first, serves it, and exits 0 on SIGTERM', async () => {
    expect(existsSync(DIST), 'build first (npm test runs the build in pretest)').toBe(true);
    const s = serve(['--port', '0', '--seed', '3', '--fault', 'duplicate=0%']);
    const line = await s.firstLine;
    expect(line).toMatch(/^livestream-bench simulator listening on ws:\/\/127\.0\.0\.1:\d+\/api\/v11\/live\/stream$/);
    const url = /ws:\/\/\S+/.exec(line)![0];
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

  test.each([
    [['--fault', 'drop=lots'], /bad fault "drop=lots"/],
    [['--port', 'ninety'], /--port must be 0-65535/],
    [['--seed', '1.5'], /--seed must be a whole number/],
  ])('serve %j exits 2 with one line', async (args, message) => {
    const s = serve(args);
    const { code } = await s.exited;
    expect(code).toBe(2);
    expect(s.stderr().trim().split('\n')).toHaveLength(1);
    expect(s.stderr()).toMatch(message);
  });
});
