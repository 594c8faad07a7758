import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BenchError } from '../../src/errors.js';
import { outputFolderProblem, writeReportFiles } from '../../src/reporters/write.js';

// procfs answers ENOENT to `mkdir /proc/x` although /proc exists: Node's
// recursive mkdir loops on that for ever
const procfs = existsSync('/proc/self/stat');

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

  it.runIf(procfs)('a folder under /proc fails at once with LSB_HARNESS instead of spinning', () => {
    try {
      writeReportFiles('/proc/lsb-no-such/sub', { 'report.json': '{}' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BenchError);
      expect((err as BenchError).code).toBe('LSB_HARNESS');
      expect((err as Error).message).toContain('cannot create the output folder /proc/lsb-no-such/sub: ENOENT');
    }
  });

  it('a folder under a regular file, or a regular file itself, is named with its errno', () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(() => writeReportFiles(join(dir, 'a-file', 'sub'), {})).toThrow(/ENOTDIR/);
    expect(() => writeReportFiles(join(dir, 'a-file'), {})).toThrow(/EEXIST/);
  });
});

describe('outputFolderProblem (checked before a run)', () => {
  it('a usable folder: no problem, and the folders it made to find out are gone again', () => {
    expect(outputFolderProblem(join(dir, 'new', 'deeper'))).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an existing folder: no problem, its contents untouched', () => {
    mkdirSync(join(dir, 'kept'));
    writeFileSync(join(dir, 'kept', 'old.json'), '{}');
    expect(outputFolderProblem(join(dir, 'kept'))).toBeUndefined();
    expect(readdirSync(join(dir, 'kept'))).toEqual(['old.json']);
  });

  it.runIf(procfs)('/proc/x: cannot create the output folder (ENOENT)', () => {
    expect(outputFolderProblem('/proc/x')).toMatch(/^cannot create the output folder: ENOENT: .*'\/proc\/x'$/);
  });

  it('a folder under a regular file: ENOTDIR; a regular file: EEXIST; nothing left behind', () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    expect(outputFolderProblem(join(dir, 'a-file', 'sub'))).toMatch(/^cannot create the output folder: ENOTDIR/);
    expect(outputFolderProblem(join(dir, 'a-file'))).toMatch(/^cannot create the output folder: EEXIST/);
    expect(readdirSync(dir)).toEqual(['a-file']);
  });
});
