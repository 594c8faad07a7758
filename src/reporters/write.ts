import { appendFileSync, mkdirSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { harnessError } from '../errors.js';

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
 * /proc): makes the folder and any missing parents, writes a file there and
 * removes it, then removes the folders it made, so a usable folder is left
 * as it was found. For checking before a run; the write after it still
 * handles its own errors (a disk can fill meanwhile).
 */
export function outputFolderProblem(dir: string): string | undefined {
  let made: string[];
  try {
    made = makeFolders(dir);
  } catch (err) {
    return `cannot create the output folder: ${(err as Error).message}`;
  }
  const probe = join(dir, `.livestream-bench-probe.${process.pid}.tmp`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
    return undefined;
  } catch (err) {
    return `cannot write in the output folder: ${(err as Error).message}`;
  } finally {
    for (const folder of made.reverse()) {
      try {
        rmdirSync(folder);
      } catch {
        // someone else put something there meanwhile: theirs to keep
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
    throw harnessError(`cannot create the output folder ${dir}: ${(err as Error).message}`, err);
  }
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, content);
      renameSync(tmp, path);
    } catch (err) {
      throw harnessError(`cannot write ${path}: ${(err as Error).message}`, err);
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
    throw harnessError(`cannot append to ${path}: ${(err as Error).message}`, err);
  }
}
