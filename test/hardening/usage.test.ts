import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { renderJson } from '../../src/reporters/json.js';
import { BIN, type CliResult } from '../helpers/cli.js';
import { fixtureReport } from '../reporters/fixture.js';
import { DIR, FIXTURES, REPORT, USAGE_CASES, type UsageCase } from './cases.js';
import { makeCerts } from './certs.js';
import { expectNoStack, lines } from './helpers.js';

/**
 * Bad usage: each case exits 2 (3 where the harness, not the input,
 * failed), says what is wrong in one line that names it, prints no stack
 * trace, and runs nothing (no report folder appears). Cases marked `bin`
 * spawn the real bin, the rest call `main(argv)` here (see cases.ts).
 *
 * LSB_TABLE_OUT=<file> writes each case's exit code and first line as rows
 * of the table in docs/bad-input.md.
 */
let root = '';
const seen = new Map<UsageCase, { code: number | null; line: string }>();

function runIn(dir: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.LSB_HARDENING_UNSET;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** `main(argv)` in this process, its output captured; the bin does exactly this and exits with the code. */
async function runMain(dir: string, args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const capture = (add: (s: string) => void) => ((chunk: string | Uint8Array) => (add(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()), true)) as typeof process.stdout.write;
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((t) => (stdout += t)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((t) => (stderr += t)));
  const home = process.cwd();
  const unset = process.env.LSB_HARDENING_UNSET;
  delete process.env.LSB_HARDENING_UNSET;
  process.chdir(dir);
  try {
    const code = await main(['node', 'livestream-bench', ...args]);
    return { code, signal: null, stdout, stderr };
  } finally {
    process.chdir(home);
    if (unset !== undefined) process.env.LSB_HARDENING_UNSET = unset;
    process.exitCode = undefined;
    out.mockRestore();
    err.mockRestore();
  }
}

function check(c: UsageCase, cwd: string, r: CliResult): void {
  const where = c.on === 'stdout' ? r.stdout : r.stderr;
  seen.set(c, { code: r.code, line: lines(where).slice(0, 2).join('<br>') });
  expect(r.code, r.stderr).toBe(c.code ?? 2);
  expect(where).toContain(c.names);
  expectNoStack(r);
  expect(lines(r.stderr).length, r.stderr).toBeLessThanOrEqual(c.maxLines ?? 1);
  // validate prints its findings on stdout; nothing else prints there on bad usage
  if (c.on !== 'stdout') expect(r.stdout).toBe('');
  // nothing was run: the default report folder never appeared
  expect(existsSync(join(cwd, 'reports'))).toBe(false);
}

const title = (c: UsageCase) => [c.args.map((a) => (a === '' ? '""' : a)).join(' '), c] as const;

/**
 * A folder of the fixtures, one per case: a case whose usage is refused only
 * after the output folder's check (which makes reports/ and removes it)
 * must not be seen by another case running beside it in the same folder.
 */
let made = 0;
function fixtureFolder(): string {
  const dir = join(root, `case-${(made += 1)}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(FIXTURES)) writeFileSync(join(dir, name), text);
  mkdirSync(join(dir, DIR));
  for (const name of [REPORT, 'cert.pem', 'key.pem', 'other.key']) copyFileSync(join(root, name), join(dir, name));
  return dir;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lsb-hard-usage-'));
  writeFileSync(join(root, REPORT), renderJson(fixtureReport()));
  const certs = makeCerts();
  copyFileSync(certs.good.certPath, join(root, 'cert.pem'));
  copyFileSync(certs.good.keyPath, join(root, 'key.pem'));
  copyFileSync(certs.self.keyPath, join(root, 'other.key'));
  certs.remove();
});

afterAll(() => {
  const out = process.env.LSB_TABLE_OUT;
  if (out) {
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    const rows = USAGE_CASES.map((c) => {
      const r = seen.get(c);
      return `| \`livestream-bench ${cell(c.args.map((a) => (a === '' || /\s/.test(a) ? JSON.stringify(a) : a)).join(' '))}\` | ${cell(r?.line ?? '?')} | ${r?.code} | usage.test.ts (${c.bin ? 'bin' : 'main'}) |`;
    });
    writeFileSync(out, `${rows.join('\n')}\n`);
  }
  rmSync(root, { recursive: true, force: true });
});

describe.concurrent('bad usage through the real bin', () => {
  it.each(USAGE_CASES.filter((c) => c.bin).map(title))('livestream-bench %s', async (_title, c) => {
    const cwd = fixtureFolder();
    check(c, cwd, await runIn(cwd, [...c.args]));
  });
});

describe('bad usage through main(argv)', () => {
  it.each(USAGE_CASES.filter((c) => !c.bin).map(title))('livestream-bench %s', async (_title, c) => {
    const cwd = fixtureFolder();
    check(c, cwd, await runMain(cwd, [...c.args]));
  });
});
