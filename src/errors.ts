/**
 * Typed errors with stable codes. Core code throws these; only the CLI maps
 * them to exit codes and prints them. Tests assert the code, not the text.
 */
export type BenchErrorCode =
  /** A flag, value or scenario field is wrong; nothing was run. */
  | 'LSB_USAGE'
  /** The harness itself could not run (spawn failed, output not writable). */
  | 'LSB_HARNESS'
  /** The run was interrupted by a signal. */
  | 'LSB_INTERRUPTED';

export class BenchError extends Error {
  readonly code: BenchErrorCode;
  constructor(code: BenchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchError';
    this.code = code;
  }
}

export function usageError(message: string): BenchError {
  return new BenchError('LSB_USAGE', message);
}

export function harnessError(message: string, cause?: unknown): BenchError {
  return new BenchError('LSB_HARNESS', message, { cause });
}
