import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outputFolderProblem, writeReportFiles } from '../../src/reporters/write.js';

// procfs answers ENOENT to `mkdir /proc/x` although /proc exists: Node's
// recursive mkdir loops on that for ever
const procfs = existsSync('/proc/self/stat');

/** Runs `code` with `m` = the built write module, in a node of its own that is killed after 20 s. */
function inChild(code: string): { status: number | null; stdout: string } {
  const mod = new URL('../../dist/reporters/write.js', import.meta.url).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(mod)}); ${code}`], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout };
}

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lsb-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeReportFiles', () => {
  it('makes the folder and its missing parents, and leaves no temporary file', () => {
    const out = join(dir, 'a', 'b');
    expect(writeReportFiles(out, { 'report.json': '{}' })).toEqual([join(out, 'report.json')]);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe('{}');
    expect(writeReportFiles(out, { 'summary.md': '#' })).toEqual([join(out, 'summary.md')]);
    expect(readdirSync(out).sort()).toEqual(['report.json', 'summary.md']);
  });

  // in a child with a timeout: if the endless mkdir came back, it would hang this worker, not fail
  it.runIf(procfs)('a folder under /proc fails at once with LSB_HARNESS instead of spinning', () => {
    const r = inChild(`try { m.writeReportFiles('/proc/lsb-no-such/sub', { 'report.json': '{}' }); console.log('written') } catch (e) { console.log(e.code + ' ' + e.message) }`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('LSB_HARNESS /proc/lsb-no-such/sub: cannot create the output folder: this file system does not take a folder there');
  });

  it('writes its temporary file afresh, never through a symlink left under its name', () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const out = join(dir, 'out');
    mkdirSync(out);
    symlinkSync(victim, join(out, `report.json.${process.pid}.tmp`));
    writeReportFiles(out, { 'report.json': '{}' });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe('{}');
  });

  it('a folder under a regular file, or a regular file itself, names the file in the way', () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(() => writeReportFiles(join(dir, 'a-file', 'sub'), {})).toThrow(`${join(dir, 'a-file')} is a file, not a folder`);
    expect(() => writeReportFiles(join(dir, 'a-file'), {})).toThrow(`${join(dir, 'a-file')} is a file, not a folder`);
  });
});

describe('outputFolderProblem (checked before a run)', () => {
  it('a usable folder: no problem, and the folders it made to find out are gone again', () => {
    expect(outputFolderProblem(join(dir, 'new', 'deeper'))).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes nothing through a symlink planted in the folder', () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    mkdirSync(join(dir, 'shared'));
    symlinkSync(victim, join(dir, 'shared', `.livestream-bench-probe.${process.pid}.tmp`));
    expect(outputFolderProblem(join(dir, 'shared'))).toBeUndefined();
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('an existing folder: no problem, its contents untouched', () => {
    mkdirSync(join(dir, 'kept'));
    writeFileSync(join(dir, 'kept', 'old.json'), '{}');
    expect(outputFolderProblem(join(dir, 'kept'))).toBeUndefined();
    expect(readdirSync(join(dir, 'kept'))).toEqual(['old.json']);
  });

  it.runIf(procfs)('/proc/x: cannot create the output folder (ENOENT, in words)', () => {
    const r = inChild(`console.log(m.outputFolderProblem('/proc/x'))`);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('cannot create the output folder: this file system does not take a folder there');
  });

  it('a folder under a regular file, or a regular file: the file in the way is named; nothing left behind', () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(outputFolderProblem(join(dir, 'a-file', 'sub'))).toBe(`${join(dir, 'a-file')} is a file, not a folder`);
    expect(outputFolderProblem(join(dir, 'a-file'))).toBe(`${join(dir, 'a-file')} is a file, not a folder`);
    expect(readdirSync(dir)).toEqual(['a-file']);
  });
});
