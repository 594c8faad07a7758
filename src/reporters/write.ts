import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { harnessError } from '../errors.js';
import { fileProblem } from '../read-input.js';

/** Whether a failed mkdir failed only because the folder is there already. */
function alreadyAFolder(dir: string, err: unknown): boolean {
  if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Why `dir` cannot be made, in words. mkdir says EEXIST or ENOTDIR when a
 * file stands where a folder must be (the folder itself, or one above it):
 * that file is named. `--out a-file/sub` -> "a-file is a file, not a folder".
 */
function folderFailure(dir: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    for (let d = dir; ; d = dirname(d)) {
      try {
        if (!statSync(d).isDirectory()) return `${d} is a file, not a folder`;
      } catch {
        // not there: the file in the way is higher up
      }
      if (dirname(d) === d) break;
    }
  }
  // ENOENT once the folders above were tried: procfs and the like, where no folder can be made
  if (code === 'ENOENT') return 'cannot create the output folder: this file system does not take a folder there';
  return `cannot create the output folder: ${fileProblem(err)}`;
}

/**
 * `mkdir -p` that always ends; returns the folders it made, outermost first.
 * Node's own (`mkdirSync(dir, { recursive: true })`) steps back to the
 * parent on ENOENT and forward again once the parent is there, forever when
 * the folder still cannot be made: procfs answers ENOENT to `mkdir /proc/x`
 * although /proc exists, so `--out /proc/x` spun in that loop, holding the
 * event loop (no signal got through), until the kernel killed it. Here a
 * folder is tried once, and once more after its parent is made; a second
 * ENOENT is the answer.
 */
function makeFolders(dir: string): string[] {
  try {
    mkdirSync(dir);
    return [dir];
  } catch (err) {
    if (alreadyAFolder(dir, err)) return [];
    const parent = dirname(dir);
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir) throw err;
    const made = makeFolders(parent);
    try {
      mkdirSync(dir);
    } catch (again) {
      if (alreadyAFolder(dir, again)) return made;
      throw again;
    }
    return [...made, dir];
  }
}

/**
 * Why report files cannot be written to `dir`, or undefined when they can.
 * Tries for real (a permission check cannot tell: root may "write" in
 * /proc): makes the folder and any missing parents, and makes and removes an
 * entry there. The entry is a folder with a random name: a file of a name
 * known in advance could be a symlink planted in a shared folder, and
 * writing it would empty whatever it points to. Then it removes the folders
 * it made, if still empty, so that bad usage leaves no trace. Another run
 * checking the same new folder at the same moment may remove it under this
 * one: a folder that vanished is made and tried once more. For checking
 * before a run; the write after it still handles its own errors (a disk can
 * fill meanwhile).
 */
export function outputFolderProblem(dir: string, attempts = 2): string | undefined {
  let made: string[];
  try {
    made = makeFolders(dir);
  } catch (err) {
    return folderFailure(dir, err);
  }
  try {
    rmdirSync(mkdtempSync(join(dir, '.livestream-bench-probe-')));
    return undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempts > 1) return outputFolderProblem(dir, attempts - 1);
    return `cannot write in the output folder: ${fileProblem(err)}`;
  } finally {
    for (const folder of made.reverse()) {
      try {
        rmdirSync(folder);
      } catch {
        // not empty, or gone already: not ours to remove
      }
    }
  }
}

/**
 * The one module that writes files. Each file is written beside its final
 * name and renamed into place, so a reader never sees half a report.
 */
export function writeReportFiles(dir: string, files: Record<string, string>): string[] {
  try {
    makeFolders(dir);
  } catch (err) {
    throw harnessError(`${dir}: ${folderFailure(dir, err)}`, err);
  }
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      // never through a symlink left or planted under that name: a new file or nothing
      rmSync(tmp, { force: true });
      writeFileSync(tmp, content, { flag: 'wx' });
      renameSync(tmp, path);
    } catch (err) {
      throw harnessError(`cannot write ${path}: ${fileProblem(err)}`, err);
    }
    written.push(path);
  }
  return written;
}

/**
 * Appends to a file that others append to as well (GitHub's step summary),
 * so it is not replaced: one append of the whole text.
 */
export function appendToFile(path: string, text: string): void {
  try {
    appendFileSync(path, text.endsWith('\n') ? text : `${text}\n`);
  } catch (err) {
    throw harnessError(`cannot append to ${path}: ${fileProblem(err)}`, err);
  }
}
