import { readFileSync } from 'node:fs';
import { usageError } from './errors.js';

/**
 * Reads a file the user named (a scenario, a report, a baseline, a CA):
 * one that cannot be read is bad usage, said in one line that names it.
 */
export function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw usageError(`${what} ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
