import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../src/reporters/json.js';
import { writeReportFiles } from '../../src/reporters/write.js';
import { runCli } from '../helpers/cli.js';
import { fixtureReport } from '../reporters/fixture.js';

/** The validate, compare and report commands, through the real bin. */
let dir: string;
let clean: string;
let slower: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lsb-cli-'));
  [clean] = writeReportFiles(join(dir, 'clean'), { 'report.json': renderJson(fixtureReport()) });
  [slower] = writeReportFiles(join(dir, 'slower'), { 'report.json': renderJson(fixtureReport({ latencyMs: 60 })) });
  writeReportFiles(dir, {
    'broken.yaml': 'clients: ten\nchanels: [tps_updates]\nthresholds:\n  latency: p99 <= 500ms\n  uptime: ">= 120%"\n',
    'garbage.json': '{"hello": "world"}\n',
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('livestream-bench validate', () => {
  it('prints every problem as file:line:col: message and exits 2', async () => {
    const file = join(dir, 'broken.yaml');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf(': ')))).toEqual([`${file}:1:10`, `${file}:2:1`, `${file}:4:12`, `${file}:5:11`]);
    expect(r.stderr).toContain('4 problem(s) in 1 of 1 file(s)');
  });

  it('exits 0 for the shipped scenarios', async () => {
    const files = readdirSync('scenarios').map((f) => join('scenarios', f));
    const r = await runCli(['validate', ...files]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(files.length);
  });

  it('a run with a broken scenario does nothing and exits 2, listing the problems', async () => {
    const r = await runCli(['--scenario', join(dir, 'broken.yaml'), '--out', join(dir, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('broken.yaml:2:1: unknown key "chanels"');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});

describe('livestream-bench compare', () => {
  it('exits 0 without a regression and 1 with one, naming the metric', async () => {
    expect((await runCli(['compare', clean, clean])).code).toBe(0);
    const r = await runCli(['compare', clean, slower, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).regressions).toContain('latency_p99');
  });

  it('takes tolerances from flags', async () => {
    const r = await runCli(['compare', clean, slower, '--tolerance', 'latency_p50=2000%', '--tolerance', 'latency_p99=2000%']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no regression');
  });

  it('exits 2 on bad input', async () => {
    expect((await runCli(['compare', clean, join(dir, 'garbage.json')])).code).toBe(2);
    expect((await runCli(['compare', clean, join(dir, 'missing.json')])).code).toBe(2);
    expect((await runCli(['compare', clean, clean, '--tolerance', 'nope=1%'])).code).toBe(2);
  });
});

describe('livestream-bench report', () => {
  it('renders the chosen formats again from a saved report.json', async () => {
    const out = join(dir, 'again');
    const r = await runCli(['report', clean, '--format', 'md,junit', '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'summary.md']);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('PASS');
  });

  it('writes every format beside the report by default; rejects unknown formats and non-reports', async () => {
    expect((await runCli(['report', clean])).code).toBe(0);
    expect(readdirSync(join(dir, 'clean')).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
    expect((await runCli(['report', clean, '--format', 'pdf'])).code).toBe(2);
    expect((await runCli(['report', join(dir, 'garbage.json')])).code).toBe(2);
  });
});
