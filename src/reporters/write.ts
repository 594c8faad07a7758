import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harnessError } from '../errors.js';

/**
 * The one module that writes files. Each file is written beside its final
 * name and renamed into place, so a reader never sees half a report.
 */
export function writeReportFiles(dir: string, files: Record<string, string>): string[] {
  try {
    mkdirSync(dir, { recursive: true });
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
