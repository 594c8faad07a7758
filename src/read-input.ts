import { readFileSync } from 'node:fs';
import { usageError } from './errors.js';

/** Plain words for the file system's error codes, so no one reads a bare `ENOENT`. */
const FILE_WORDS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EBUSY: 'the file is busy',
};

/**
 * Why a file operation failed, in words: `ENOENT` -> "no such file". An
 * error without a known code keeps its message's first line.
 */
export function fileProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code && FILE_WORDS[code]) return FILE_WORDS[code];
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/**
 * Reads a file the user named (a scenario, a report, a baseline, a CA):
 * one that cannot be read is bad usage, said in one line that names it as
 * the user gave it: `--baseline base.json: no such file`.
 */
export function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw usageError(`${what} ${path}: ${fileProblem(err)}`);
  }
}
